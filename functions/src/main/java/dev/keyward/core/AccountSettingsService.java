package dev.keyward.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An account's settings: defaults until an admin changes them. Ordering rule: one write of the
 * key store, with its {@code settings.updated} event (its {@code changed} names what the request
 * named), then the settings read back as stored.
 */
public final class AccountSettingsService {
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
     * Changes what {@code change} names, and nothing else:
     * <ul>
     *   <li>{@code expiredKeyRetentionDays}: delete the account's keys once they have been expired
     *       that many days ({@value AccountSettings#MIN_RETENTION_DAYS} to
     *       {@value AccountSettings#MAX_RETENTION_DAYS}), or null to keep them until an admin deletes them;</li>
     *   <li>{@code maxKeyLifetimeDays}: the key policy's cap on a key's lifetime
     *       ({@value AccountSettings#MIN_KEY_LIFETIME_DAYS} to {@value AccountSettings#MAX_KEY_LIFETIME_DAYS}),
     *       or null for none; keys made before keep their expiry until it is changed;</li>
     *   <li>{@code requireScopes}: whether a key must have at least one scope.</li>
     * </ul>
     *
     * @return the settings as changed
     */
    public AccountSettings update(String accountId, SettingsChange change, String caller) {
        AccountIds.require(accountId);
        List<String> changed = change.changed();
        if (changed.isEmpty()) {
            throw noSettings();
        }
        if (outOfRange(change.expiredKeyRetentionDays(), AccountSettings.MIN_RETENTION_DAYS,
                AccountSettings.MAX_RETENTION_DAYS)) {
            throw invalidRetention();
        }
        if (outOfRange(change.maxKeyLifetimeDays(), AccountSettings.MIN_KEY_LIFETIME_DAYS,
                AccountSettings.MAX_KEY_LIFETIME_DAYS)) {
            throw invalidKeyLifetime();
        }
        store.saveSettings(accountId, change,
                events.settings(accountId, ChangeEvent.Actor.admin(caller), Map.of("changed", changed)));
        log.info("settings_updated", accountId, null);
        return store.settings(accountId);
    }

    /** Whether a setting the change names is a number outside {@code min..max} (null is in range). */
    @SuppressWarnings("OptionalUsedAsFieldOrParameterType")
    private static boolean outOfRange(Optional<Long> days, int min, int max) {
        return days != null && days.isPresent() && (days.get() < min || days.get() > max);
    }

    /** The answer to a retention that is not a whole number, or out of range. */
    public static KeywardException invalidRetention() {
        return new KeywardException(ErrorCode.INVALID_RETENTION_DAYS, "expiredKeyRetentionDays must be a whole number from "
                + AccountSettings.MIN_RETENTION_DAYS + " to " + AccountSettings.MAX_RETENTION_DAYS
                + ", or null to keep expired keys until they are deleted.");
    }

    /** The answer to a key lifetime cap that is not a whole number, or out of range. */
    public static KeywardException invalidKeyLifetime() {
        return new KeywardException(ErrorCode.INVALID_KEY_LIFETIME_DAYS, "maxKeyLifetimeDays must be a whole number from "
                + AccountSettings.MIN_KEY_LIFETIME_DAYS + " to " + AccountSettings.MAX_KEY_LIFETIME_DAYS
                + ", or null for no cap on a key's lifetime.");
    }

    /** The answer to a requireScopes that is not true or false. */
    public static KeywardException invalidRequireScopes() {
        return new KeywardException(ErrorCode.INVALID_REQUIRE_SCOPES, "requireScopes must be true or false.");
    }

    /** The answer to a change that names no setting. */
    public static KeywardException noSettings() {
        return new KeywardException(ErrorCode.INVALID_SETTINGS, "Name at least one setting to change: "
                + SettingsChange.RETENTION + ", " + SettingsChange.MAX_KEY_LIFETIME + " or "
                + SettingsChange.REQUIRE_SCOPES + ".");
    }
}
