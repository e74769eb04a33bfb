package dev.keyward.core;

import java.time.Instant;

/** A key whose expiry has passed, as the index of expiring keys lists it (eventually consistent). */
public record ExpiredKey(String accountId, String keyId, Instant expiresAt) {
}
