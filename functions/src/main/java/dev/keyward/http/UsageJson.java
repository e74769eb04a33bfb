package dev.keyward.http;

import dev.keyward.core.DailyUsage;
import dev.keyward.core.KeyUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A key's usage as the API shows it: {@code {"keyId", "days": [{"date","allowed","denied"}]}}. */
public final class UsageJson {
    private UsageJson() {
    }

    /** The {@code days} query parameter, or null when absent; the service checks its range. */
    public static Integer days(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw KeyUsage.invalidDays();
        }
    }

    public static Map<String, Object> series(String keyId, List<DailyUsage> days) {
        List<Map<String, Object>> entries = new ArrayList<>(days.size());
        for (DailyUsage day : days) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("date", day.day().toString());
            entry.put("allowed", day.allowed());
            entry.put("denied", day.denied());
            entries.add(entry);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("keyId", keyId);
        json.put("days", entries);
        return json;
    }
}
