package dev.keyward.http;

import dev.keyward.core.AccountIds;
import dev.keyward.core.AccountSettingsService;
import dev.keyward.core.KeywardException;
import dev.keyward.core.SettingsChange;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The settings route's body, parsed into the {@link SettingsChange} {@code core} takes. */
public final class SettingsRequests {
    private SettingsRequests() {
    }

    /**
     * {@code PATCH /accounts/{accountId}/settings {"expiredKeyRetentionDays"?: n | null,
     * "maxKeyLifetimeDays"?: n | null, "requireScopes"?: bool}}: a member left out stays as it is.
     * Whole numbers are checked here, their ranges by {@link AccountSettingsService}.
     */
    public static SettingsChange settingsChange(ApiRequest request) {
        return settingsChange(request.jsonObject(Set.of(SettingsChange.RETENTION, SettingsChange.MAX_KEY_LIFETIME,
                SettingsChange.REQUIRE_SCOPES)), request.pathParameter("accountId"));
    }

    /** A settings body, parsed; {@code accountId} is checked first, then each member in the API's order. */
    public static SettingsChange settingsChange(Map<String, Object> body, String accountId) {
        AccountIds.require(accountId);
        Optional<Long> retention = days(body, SettingsChange.RETENTION, AccountSettingsService::invalidRetention);
        Optional<Long> lifetime = days(body, SettingsChange.MAX_KEY_LIFETIME, AccountSettingsService::invalidKeyLifetime);
        Boolean requireScopes = null;
        if (body.containsKey(SettingsChange.REQUIRE_SCOPES)) {
            if (!(body.get(SettingsChange.REQUIRE_SCOPES) instanceof Boolean required)) {
                throw AccountSettingsService.invalidRequireScopes();
            }
            requireScopes = required;
        }
        return new SettingsChange(retention, lifetime, requireScopes);
    }

    /** A number of days: null when left out, empty when null, else a whole number (JSON gives Integer or Long). */
    @SuppressWarnings("OptionalAssignedToNull") // null: left out
    private static Optional<Long> days(Map<String, Object> body, String member, Supplier<KeywardException> invalid) {
        if (!body.containsKey(member)) {
            return null;
        }
        Object raw = body.get(member);
        if (raw == null) {
            return Optional.empty();
        }
        if (!(raw instanceof Integer || raw instanceof Long)) {
            throw invalid.get();
        }
        return Optional.of(((Number) raw).longValue());
    }
}
