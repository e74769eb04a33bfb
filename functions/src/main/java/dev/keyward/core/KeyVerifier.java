package dev.keyward.core;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a request's {@code Authorization} header holds the credentials of a live key,
 * and whether that key may be used from where the request came and for the route it calls.
 *
 * <p>Per check: a header that is not Basic, a Client ID or Client Secret of the wrong shape, or a
 * secret whose checksum does not match is refused without any lookup. Otherwise one strongly
 * consistent read of the client (so a deleted or suspended key is refused by the very next check)
 * and a constant-time comparison of SHA-256 hashes. The secret itself is never stored or read.
 * Then, in this order: a key is refused from the first instant of its expiry on, by this
 * function's own clock; a suspended key is refused; a key limited to networks is forbidden from
 * any other address (the one API Gateway saw, as the request states it); and a key whose scopes
 * do not open the route called is allowed what they open, which API Gateway answers 403 for this
 * route. The first of these that applies is the check's {@link DenialReason}.
 *
 * <p>Each check of a known Client ID is counted for its key, allowed or denied (and why), by the
 * {@link UsageRecorder}: it writes the counts, the latest denials and lastUsedAt at most once a
 * minute per key and sandbox, and a failure there never fails the check.
 */
public final class KeyVerifier {
    private final ClientStore clients;
    private final UsageRecorder usage;
    private final Clock clock;
    private final EventLog log;

    public KeyVerifier(ClientStore clients, UsageRecorder usage, Clock clock, EventLog log) {
        this.clients = Objects.requireNonNull(clients);
        this.usage = Objects.requireNonNull(usage);
        this.clock = Objects.requireNonNull(clock);
        this.log = Objects.requireNonNull(log);
    }

    /**
     * What the authorizer is given of one request.
     *
     * @param authorization the Authorization header, or null
     * @param sourceIp      the address API Gateway saw the request come from, or null when unknown
     * @param methodArn     the execute-api ARN of the method and path called, or null when unknown
     */
    public record Request(String authorization, String sourceIp, String methodArn) {
    }

    /**
     * The credentials alone, from no known address and for no known route: a key limited to
     * networks is forbidden, and scopes are not checked against a route.
     */
    public Verdict verify(String authorizationHeader) {
        return verify(new Request(authorizationHeader, null, null), null);
    }

    /**
     * The whole check of {@code request}; with {@code routes}, the verdict names the resources the
     * key may call, and a route they do not cover counts as denied ({@link DenialReason#SCOPE_MISSING}).
     */
    public Verdict verify(Request request, RouteScopes routes) {
        String authorizationHeader = request.authorization();
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            log.info("auth_no_credentials", null, null);
            return Verdict.NO_CREDENTIALS;
        }
        Optional<BasicCredentials> credentials = BasicCredentials.parse(authorizationHeader);
        if (credentials.isEmpty() || !credentials.get().wellFormed()) {
            log.info("auth_denied_malformed", null, null);
            return Verdict.DENY;
        }
        Optional<ClientRecord> client = clients.find(credentials.get().clientId());
        if (client.isEmpty()) {
            log.info("auth_denied_unknown_client", null, null);
            return Verdict.DENY;
        }
        ClientRecord found = client.get();
        Instant now = clock.instant();
        if (!found.accepts(Credentials.hash(credentials.get().clientSecret()), now)) {
            return denied(found, DenialReason.WRONG_SECRET, request, now);
        }
        if (found.expiredAt(now)) {
            // by this function's clock, not DynamoDB's TTL, which may remove items days late
            return denied(found, DenialReason.EXPIRED, request, now);
        }
        if (!found.enabled()) {
            return denied(found, DenialReason.DISABLED, request, now);
        }
        if (!found.networks().admits(request.sourceIp())) {
            denied(found, DenialReason.IP_NOT_ALLOWED, request, now);
            return new Verdict(Verdict.Outcome.FORBIDDEN, found.accountId(), found.keyId(), null, null,
                    DenialReason.IP_NOT_ALLOWED);
        }
        if (routes == null) {
            return allowed(found, now, null);
        }
        List<String> resources = routes.resources(request.methodArn(), found.accountId(), found.scopes());
        if (!RouteScopes.covers(resources, request.methodArn())) {
            denied(found, DenialReason.SCOPE_MISSING, request, now);
            return new Verdict(Verdict.Outcome.ALLOW, found.accountId(), found.keyId(), found.scopes(), resources,
                    DenialReason.SCOPE_MISSING);
        }
        return allowed(found, now, resources);
    }

    /** Logs and counts an allowed check; its verdict, with the resources the key may call when routes were given. */
    private Verdict allowed(ClientRecord found, Instant now, List<String> resources) {
        usage.allowed(found.accountId(), found.keyId(), now);
        log.info("auth_allowed", found.accountId(), found.keyId());
        return new Verdict(Verdict.Outcome.ALLOW, found.accountId(), found.keyId(), found.scopes(), resources, null);
    }

    /** Logs and counts the refusal of a known key's check; the verdict a refused check gets (401). */
    private Verdict denied(ClientRecord found, DenialReason reason, Request request, Instant now) {
        log.info("auth_denied_" + reason.wireName(), found.accountId(), found.keyId());
        usage.denied(found.accountId(), found.keyId(),
                new UsageStore.Denial(now, reason, RouteScopes.route(request.methodArn()), request.sourceIp()));
        return Verdict.DENY;
    }

    /** Writes the counts still in memory: for a sandbox about to stop. */
    public void flushUsage() {
        usage.flushAll();
    }
}
