package dev.keyward.core;

/**
 * An account's own choices, on its settings item.
 *
 * @param expiredKeyRetentionDays days an expired key is kept before it is deleted automatically,
 *                                or null to keep expired keys until an admin deletes them
 * @param maxKeyLifetimeDays      the key policy's longest lifetime: every key created, and every
 *                                expiry set, must end at most this many days ahead ({@link KeyPolicy});
 *                                null for no cap
 * @param requireScopes           the key policy's rule that every key has at least one scope
 */
public record AccountSettings(Integer expiredKeyRetentionDays, Integer maxKeyLifetimeDays, boolean requireScopes) {
    public static final int MIN_RETENTION_DAYS = 1;
    public static final int MAX_RETENTION_DAYS = 3650;
    public static final int MIN_KEY_LIFETIME_DAYS = 1;
    public static final int MAX_KEY_LIFETIME_DAYS = 3650;
    public static final AccountSettings DEFAULTS = new AccountSettings(null, null, false);

    /** These settings with {@code change} applied: what it names replaced, the rest kept. */
    public AccountSettings with(SettingsChange change) {
        return new AccountSettings(
                change.expiredKeyRetentionDays() == null ? expiredKeyRetentionDays
                        : change.expiredKeyRetentionDays().map(Long::intValue).orElse(null),
                change.maxKeyLifetimeDays() == null ? maxKeyLifetimeDays
                        : change.maxKeyLifetimeDays().map(Long::intValue).orElse(null),
                change.requireScopes() == null ? requireScopes : change.requireScopes());
    }
}
