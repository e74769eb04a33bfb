package dev.keyward.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An endpoint's signing secrets: the current one and, for a while after a rotation, the one it
 * replaced. Every delivery is signed with each secret in force ({@link #inForceAt}), so a receiver
 * that has not switched to the new secret yet still verifies deliveries until
 * {@code previousUntil} (Standard Webhooks puts several signatures in {@code webhook-signature}).
 * Only one previous secret is kept: a rotation during an overlap ends the older one at once.
 *
 * @param previous      the secret the current one replaced, or null
 * @param previousUntil when {@code previous} stops signing deliveries; null exactly when {@code previous} is
 */
public record WebhookSigningSecrets(String current, String previous, Instant previousUntil) {
    public WebhookSigningSecrets {
        Objects.requireNonNull(current, "current");
        if ((previous == null) != (previousUntil == null)) {
            throw new IllegalArgumentException("A previous secret comes with its end, and only then");
        }
    }

    /** The one secret of a new endpoint. */
    public static WebhookSigningSecrets of(String current) {
        return new WebhookSigningSecrets(current, null, null);
    }

    /** The secrets that sign a delivery made at {@code now}: the current one first, then the previous one until its end. */
    public List<String> inForceAt(Instant now) {
        return previous != null && now.isBefore(previousUntil) ? List.of(current, previous) : List.of(current);
    }

    /**
     * These secrets once {@code next} replaces the current one at {@code now}: the current one
     * keeps signing for {@code overlap} (not at all when it is zero), and a previous one stops.
     */
    public WebhookSigningSecrets rotatedTo(String next, Instant now, Duration overlap) {
        if (overlap.isNegative()) {
            throw new IllegalArgumentException("A negative overlap");
        }
        return overlap.isZero() ? of(next) : new WebhookSigningSecrets(next, current, now.plus(overlap));
    }

    @Override
    public String toString() {
        return "WebhookSigningSecrets[current=<redacted>, previous=" + (previous == null ? "none" : "<redacted>")
                + ", previousUntil=" + previousUntil + "]";
    }
}
