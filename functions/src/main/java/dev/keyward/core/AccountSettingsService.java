package dev.keyward.core;

import java.util.List;
import java.util.Map;

/**
 * An account's settings: defaults until an admin changes them. Ordering rule: one write of the
 * key store, with its {@code settings.updated} event, then the settings read back as stored.
 */
public final class AccountSettingsService {
    private static final String RETENTION = "expiredKeyRetentionDays";
    private final KeyStore store;
    private final EventLog log;
    private final ChangeEvents events;

    public AccountSettingsService(KeyPorts ports) {
        this.store = ports.store();
        this.log = ports.log();
        this.events = ports.events();
    }

    /** The account's settings: defaults until an admin changes them. */
    public AccountSettings settings(String accountId) {
        AccountIds.require(accountId);
        return store.settings(accountId);
    }

    /**
     * Sets how long the account keeps expired keys: delete them automatically once they have been
     * expired {@code days} days ({@value AccountSettings#MIN_RETENTION_DAYS} to
     * {@value AccountSettings#MAX_RETENTION_DAYS}), or null to keep them until an admin deletes them.
     *
     * @return the settings as changed
     */
    public AccountSettings updateExpiredKeyRetention(String accountId, Long days, String caller) {
        AccountIds.require(accountId);
        if (days != null && (days < AccountSettings.MIN_RETENTION_DAYS || days > AccountSettings.MAX_RETENTION_DAYS)) {
            throw invalidRetention();
        }
        store.saveExpiredKeyRetention(accountId, days == null ? null : days.intValue(),
                events.settings(accountId, ChangeEvent.Actor.admin(caller), Map.of("changed", List.of(RETENTION))));
        log.info("settings_updated", accountId, null);
        return store.settings(accountId);
    }

    /** The answer to a retention that is missing, not a whole number, or out of range. */
    public static KeywardException invalidRetention() {
        return new KeywardException(ErrorCode.INVALID_RETENTION_DAYS, "expiredKeyRetentionDays must be a whole number from "
                + AccountSettings.MIN_RETENTION_DAYS + " to " + AccountSettings.MAX_RETENTION_DAYS
                + ", or null to keep expired keys until they are deleted.");
    }
}
