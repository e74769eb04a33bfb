package dev.keyward.core;

/**
 * An account's own choices, on its settings item.
 *
 * @param expiredKeyRetentionDays days an expired key is kept before it is deleted automatically,
 *                                or null to keep expired keys until an admin deletes them
 */
public record AccountSettings(Integer expiredKeyRetentionDays) {
    public static final int MIN_RETENTION_DAYS = 1;
    public static final int MAX_RETENTION_DAYS = 3650;
    public static final AccountSettings DEFAULTS = new AccountSettings(null);
}
