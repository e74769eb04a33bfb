package dev.keyward.core;

import java.util.Locale;

/**
 * What Keyward does when a secret scanner reports a live secret of an account's key, set per
 * account ({@code leakPolicy} of the account's settings).
 */
public enum LeakPolicy {
    /** Delete the key exactly as an admin would (the default): every integration using it stops at once. */
    REVOKE,
    /** Keep the key working but mark it leaked, with where it was found, for an admin to act on. */
    FLAG;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy a stored value names; anything absent or unknown is the safe default, {@link #REVOKE}. */
    public static LeakPolicy fromWireName(String name) {
        return "flag".equals(name) ? FLAG : REVOKE;
    }
}
