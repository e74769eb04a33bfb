package dev.keyward.aws;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.EventLog;
import dev.keyward.core.Failures;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line per event on standard output, which Lambda ships to CloudWatch Logs. A failure
 * is logged by its class and the place it was thrown, never by its message or stack trace.
 */
public final class JsonEventLog implements EventLog {
    private final PrintStream out;

    public JsonEventLog(PrintStream out) {
        this.out = out;
    }

    @Override
    public void info(String event, String accountId, String keyId) {
        write("INFO", event, accountId, keyId, null);
    }

    @Override
    public void warn(String event, String accountId, String keyId, Throwable cause) {
        write("WARN", event, accountId, keyId, cause);
    }

    private void write(String level, String event, String accountId, String keyId, Throwable cause) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level);
        line.put("event", event);
        if (accountId != null) {
            line.put("accountId", accountId);
        }
        if (keyId != null) {
            line.put("keyId", keyId);
        }
        if (cause != null) {
            line.putAll(Failures.describe(cause));
        }
        try {
            out.println(JSON.std.asString(line));
        } catch (IOException e) {
            out.println("{\"level\":\"" + level + "\",\"event\":\"" + event + "\"}");
        }
    }
}
