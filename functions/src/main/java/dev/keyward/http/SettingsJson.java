package dev.keyward.http;

import dev.keyward.core.AccountSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An account's settings as the API shows them:
 * {@code {"expiredKeyRetentionDays": n | null, "maxKeyLifetimeDays": n | null, "requireScopes": bool}}.
 */
public final class SettingsJson {
    private SettingsJson() {
    }

    public static Map<String, Object> of(AccountSettings settings) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("expiredKeyRetentionDays", settings.expiredKeyRetentionDays());
        json.put("maxKeyLifetimeDays", settings.maxKeyLifetimeDays());
        json.put("requireScopes", settings.requireScopes());
        return json;
    }
}
