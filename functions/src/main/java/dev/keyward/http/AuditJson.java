package dev.keyward.http;

import dev.keyward.core.AuditEvent;
import dev.keyward.core.AuditPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit trail as the API shows it: {@code {"events": [{"id","action","keyId","at","caller"}], "nextCursor"}},
 * in {@link KeyJson}'s style (null for no value, times at millisecond precision).
 */
public final class AuditJson {
    private AuditJson() {
    }

    public static Map<String, Object> page(AuditPage page) {
        List<Map<String, Object>> events = new ArrayList<>(page.events().size());
        for (AuditEvent event : page.events()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", event.id());
            json.put("action", event.action().wireName());
            json.put("keyId", event.keyId());
            json.put("at", KeyJson.time(event.at()));
            json.put("caller", event.caller());
            events.add(json);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("events", events);
        json.put("nextCursor", page.nextCursor());
        return json;
    }
}
