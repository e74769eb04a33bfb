package dev.keyward.core;

import java.time.Instant;

/**
 * A key together with its Client Secret: what create and the "Edit" view answer.
 *
 * @param asOf the time the answer describes the key at (its {@link ApiKey#status}): for a request
 *             made with an Idempotency-Key, when its first answer was given, so that a replay
 *             answers the same; null for now
 */
public record KeyWithSecret(ApiKey key, String clientSecret, Instant asOf) {
    public KeyWithSecret(ApiKey key, String clientSecret) {
        this(key, clientSecret, null);
    }

    @Override
    public String toString() {
        return "KeyWithSecret[key=" + key + ", clientSecret=<redacted>, asOf=" + asOf + "]";
    }
}
