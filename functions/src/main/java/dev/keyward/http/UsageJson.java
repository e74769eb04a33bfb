package dev.keyward.http;

import dev.keyward.core.DailyUsage;
import dev.keyward.core.DenialReason;
import dev.keyward.core.KeyUsage;
import dev.keyward.core.UsageStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A key's usage as the API shows it: {@code {"keyId", "days": [{"date","allowed","denied","deniedBy"}],
 * "recentDenials": [{"at","reason","route","sourceIp"}]}}; {@code deniedBy} names every reason,
 * with 0 for none.
 */
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

    public static Map<String, Object> series(String keyId, KeyUsage.Report report) {
        List<Map<String, Object>> entries = new ArrayList<>(report.days().size());
        for (DailyUsage day : report.days()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("date", day.day().toString());
            entry.put("allowed", day.allowed());
            entry.put("denied", day.denied());
            Map<String, Object> by = new LinkedHashMap<>();
            for (DenialReason reason : DenialReason.values()) {
                by.put(reason.wireName(), day.deniedBy().getOrDefault(reason, 0L));
            }
            entry.put("deniedBy", by);
            entries.add(entry);
        }
        List<Map<String, Object>> denials = new ArrayList<>(report.recentDenials().size());
        for (UsageStore.Denial denial : report.recentDenials()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("at", KeyJson.time(denial.at()));
            entry.put("reason", denial.reason().wireName());
            entry.put("route", denial.route());
            entry.put("sourceIp", denial.sourceIp());
            denials.add(entry);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("keyId", keyId);
        json.put("days", entries);
        json.put("recentDenials", denials);
        return json;
    }
}
