package dev.keyward.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one PATCH of an account's settings asks to change, parsed from the request. A null
 * component was absent from the request and stays as it is; {@code Optional.empty()} was null in
 * the request (no retention, no cap). Ranges are checked by {@link AccountSettingsService}.
 *
 * @param expiredKeyRetentionDays see {@link AccountSettings#expiredKeyRetentionDays}
 * @param maxKeyLifetimeDays      see {@link AccountSettings#maxKeyLifetimeDays}
 * @param requireScopes           see {@link AccountSettings#requireScopes}
 */
@SuppressWarnings("OptionalUsedAsFieldOrParameterType") // three states: unchanged, removed, set
public record SettingsChange(Optional<Long> expiredKeyRetentionDays, Optional<Long> maxKeyLifetimeDays,
                             Boolean requireScopes) {
    public static final String RETENTION = "expiredKeyRetentionDays";
    public static final String MAX_KEY_LIFETIME = "maxKeyLifetimeDays";
    public static final String REQUIRE_SCOPES = "requireScopes";

    /** The settings it changes, by their names in the API, in the order the API lists them. */
    public List<String> changed() {
        List<String> changed = new ArrayList<>(3);
        if (expiredKeyRetentionDays != null) {
            changed.add(RETENTION);
        }
        if (maxKeyLifetimeDays != null) {
            changed.add(MAX_KEY_LIFETIME);
        }
        if (requireScopes != null) {
            changed.add(REQUIRE_SCOPES);
        }
        return changed;
    }
}
