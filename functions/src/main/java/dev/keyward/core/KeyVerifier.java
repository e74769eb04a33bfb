package dev.keyward.core;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether an {@code Authorization} header holds the credentials of a live key.
 *
 * <p>Per check: a header that is not Basic, a Client ID or Client Secret of the wrong shape, or a
 * secret whose checksum does not match is refused without any lookup. Otherwise one strongly
 * consistent read of the client (so a deleted key is refused by the very next check) and a
 * constant-time comparison of SHA-256 hashes. The secret itself is never stored or read. A key
 * is refused from the first instant of its expiry on, by this function's own clock.
 *
 * <p>Each check of a known Client ID is counted for its key, allowed or denied, by the
 * {@link UsageRecorder}: it writes the counts and lastUsedAt at most once a minute per key and
 * sandbox, and a failure there never fails the check.
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

    public Verdict verify(String authorizationHeader) {
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
            log.info("auth_denied_wrong_secret", found.accountId(), found.keyId());
            usage.record(found.accountId(), found.keyId(), false, now);
            return Verdict.DENY;
        }
        if (found.expiredAt(now)) {
            // by this function's clock, not DynamoDB's TTL, which may remove items days late
            log.info("auth_denied_expired", found.accountId(), found.keyId());
            usage.record(found.accountId(), found.keyId(), false, now);
            return Verdict.DENY;
        }
        usage.record(found.accountId(), found.keyId(), true, now);
        log.info("auth_allowed", found.accountId(), found.keyId());
        return Verdict.allow(found.accountId(), found.keyId(), found.scopes());
    }

    /** Writes the counts still in memory: for a sandbox about to stop. */
    public void flushUsage() {
        usage.flushAll();
    }
}
