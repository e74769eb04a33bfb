package dev.keyward.core;

/**
 * Why the authorizer refused a check it can attribute to a key (its Client ID was known), as the
 * usage route names it. A check whose Client ID is unknown (never issued, or its key deleted) or
 * whose header is malformed belongs to no key and is only logged.
 */
public enum DenialReason {
    /** A secret that is not the key's current one, nor one still in its grace period. */
    WRONG_SECRET("wrong_secret"),
    /** The key's expiry has passed. */
    EXPIRED("expired"),
    /** The key is suspended ({@code "enabled": false}). */
    DISABLED("disabled"),
    /** The request came from an address outside the key's {@code allowedCidrs}. */
    IP_NOT_ALLOWED("ip_not_allowed"),
    /** The key's scopes do not open the route called. */
    SCOPE_MISSING("scope_missing");

    private final String wireName;

    DenialReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The reason named {@code name}, or null when none is. */
    public static DenialReason fromWireName(String name) {
        for (DenialReason reason : values()) {
            if (reason.wireName.equals(name)) {
                return reason;
            }
        }
        return null;
    }
}
