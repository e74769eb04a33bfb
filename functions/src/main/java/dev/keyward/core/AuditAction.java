package dev.keyward.core;

/** What an admin (or, for a leak, the secret scanner) did to a key, as the audit trail names it. */
public enum AuditAction {
    CREATED("key.created"),
    SECRET_VIEWED("key.secret_viewed"),
    RENAMED("key.renamed"),
    /** Its expiry, scopes or networks changed (and perhaps its name with them). */
    UPDATED("key.updated"),
    /** Suspended by an admin (whatever else the same change did). */
    DISABLED("key.disabled"),
    /** Resumed by an admin after a suspension (whatever else the same change did). */
    ENABLED("key.enabled"),
    ROTATED("key.rotated"),
    DELETED("key.deleted"),
    /** A secret scanner found a live secret of the key in public and the account's policy is to flag it. */
    LEAK_REPORTED("key.leak_reported");

    private final String wireName;

    AuditAction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static AuditAction fromWireName(String name) {
        for (AuditAction action : values()) {
            if (action.wireName.equals(name)) {
                return action;
            }
        }
        throw new IllegalArgumentException("Unknown audit action");
    }
}
