package dev.keyward.core;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SortedSet;

/**
 * An account's key policy ({@link AccountSettings}): a cap on a key's lifetime and the rule that
 * a key has scopes. It applies to what a request asks for, when it asks: a create, and a PATCH that
 * sets a key's expiry or its scopes. A key made before the policy keeps its expiry and scopes
 * until they are changed, a PATCH of anything else on it is not refused for them, and a rotation
 * keeps the key's expiry and scopes as they are.
 *
 * <p>Refusals have codes of their own, answered 409: the request is well formed, and the same one
 * succeeds once an owner of the account changes the policy, as a create refused for the key limit
 * does once a key is deleted. Their detail names the policy's numbers (the cap in days and the
 * latest expiry it allows now), so that a client can correct its request.
 */
public final class KeyPolicy {
    private KeyPolicy() {
    }

    /** Checks a create's expiry (null: never) and scopes against the account's policy. */
    public static void requireAllowed(AccountSettings settings, Instant expiresAt, SortedSet<String> scopes, Instant now) {
        requireExpiryAllowed(settings, expiresAt, now);
        requireScopesAllowed(settings, scopes);
    }

    /** Checks what a PATCH sets (an expiry, or scopes) against the account's policy; what it leaves alone is not checked. */
    public static void requireAllowed(AccountSettings settings, KeyUpdate change, Instant now) {
        if (change.expiresAt() != null) {
            requireExpiryAllowed(settings, change.expiresAt().orElse(null), now);
        }
        if (change.scopes() != null) {
            requireScopesAllowed(settings, change.scopes());
        }
    }

    /**
     * An expiry under the cap: with one, a key must expire (null is refused) no later than
     * {@code now} plus {@code maxKeyLifetimeDays} days; exactly then is allowed.
     *
     * @throws KeywardException {@link ErrorCode#EXPIRY_REQUIRED} or {@link ErrorCode#EXPIRY_BEYOND_POLICY}
     */
    static void requireExpiryAllowed(AccountSettings settings, Instant expiresAt, Instant now) {
        Integer days = settings.maxKeyLifetimeDays();
        if (days == null) {
            return;
        }
        Instant latest = latest(days, now);
        if (expiresAt == null) {
            throw new KeywardException(ErrorCode.EXPIRY_REQUIRED, "This account's key policy requires every key to "
                    + "expire within " + days + " days: give 'expiresAt', no later than " + latest + ".");
        }
        if (expiresAt.isAfter(latest)) {
            throw new KeywardException(ErrorCode.EXPIRY_BEYOND_POLICY, "This account's key policy caps a key's "
                    + "lifetime at " + days + " days: 'expiresAt' must be no later than " + latest + ".");
        }
    }

    /**
     * Scopes the policy allows: with {@code requireScopes}, at least one.
     *
     * @throws KeywardException {@link ErrorCode#SCOPES_REQUIRED}
     */
    static void requireScopesAllowed(AccountSettings settings, SortedSet<String> scopes) {
        if (settings.requireScopes() && scopes.isEmpty()) {
            throw new KeywardException(ErrorCode.SCOPES_REQUIRED, "This account's key policy requires every key to "
                    + "have at least one scope: give 'scopes' with one or more.");
        }
    }

    /** The latest expiry the cap allows now, in whole seconds (expiries are kept in whole seconds). */
    static Instant latest(int days, Instant now) {
        return now.plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.SECONDS);
    }
}
