package dev.keyward.telemetry;

import dev.keyward.core.EventLog;
import java.util.LinkedHashMap;
import java.util.Map;

/** The service's {@link EventLog}, written through {@link Log}: one JSON line per event, with metrics. */
public final class JsonEventLog implements EventLog {
    @Override
    public void info(String event, String accountId, String keyId) {
        Log.info(event, fields(accountId, keyId));
    }

    @Override
    public void warn(String event, String accountId, String keyId, Throwable cause) {
        Log.warn(event, fields(accountId, keyId), cause);
    }

    private static Map<String, Object> fields(String accountId, String keyId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("accountId", accountId);
        fields.put("keyId", keyId);
        return fields;
    }
}
