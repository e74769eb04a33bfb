package dev.keyward.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether an {@code Authorization} header holds the credentials of a live key.
 *
 * <p>Per check: a header that is not Basic, a Client ID or Client Secret of the wrong shape, or a
 * secret whose checksum does not match is refused without any lookup. Otherwise one strongly
 * consistent read of the client (so a deleted key is refused by the very next check) and a
 * constant-time comparison of SHA-256 hashes. The secret itself is never stored or read.
 *
 * <p>lastUsedAt is written at most once a {@link #USAGE_RESOLUTION} per key and sandbox: this
 * instance remembers when it last wrote (or tried to write) each key, and the store's condition
 * keeps concurrent sandboxes from moving it more often. A failure there never fails the check.
 */
public final class KeyVerifier {
    public static final Duration USAGE_RESOLUTION = Duration.ofMinutes(1);
    private static final int REMEMBERED_KEYS = 10_000;

    private final ClientStore clients;
    private final Clock clock;
    private final EventLog log;
    private final Map<String, Instant> lastUseWritten = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > REMEMBERED_KEYS;
        }
    };

    public KeyVerifier(ClientStore clients, Clock clock, EventLog log) {
        this.clients = Objects.requireNonNull(clients);
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
            return Verdict.DENY;
        }
        recordUse(found.accountId(), found.keyId(), now);
        log.info("auth_allowed", found.accountId(), found.keyId());
        return Verdict.allow(found.accountId(), found.keyId());
    }

    private void recordUse(String accountId, String keyId, Instant now) {
        // whole seconds: the stored text then always has the same width and compares in time order
        Instant usedAt = now.truncatedTo(ChronoUnit.SECONDS);
        String key = accountId + '/' + keyId;
        synchronized (lastUseWritten) {
            Instant last = lastUseWritten.get(key);
            if (last != null && usedAt.isBefore(last.plus(USAGE_RESOLUTION))) {
                return;
            }
            lastUseWritten.put(key, usedAt);
        }
        try {
            clients.recordUse(accountId, keyId, usedAt, usedAt.minus(USAGE_RESOLUTION).plusSeconds(1));
        } catch (RuntimeException e) {
            log.warn("last_used_not_recorded", accountId, keyId, e);
        }
    }
}
