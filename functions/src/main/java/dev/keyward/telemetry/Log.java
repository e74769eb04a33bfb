package dev.keyward.telemetry;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.Failures;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one way out for log lines: one JSON object per line on standard output, which Lambda ships
 * to CloudWatch Logs. Each line carries the {@link Invocation} under way (request ids, cold start,
 * trace, function and version) and, for the events that are metrics, its {@link Metrics} in the
 * Embedded Metric Format. A failure is written by class and place, never by message or stack trace.
 */
public final class Log {
    private Log() {
    }

    public static void info(String event, Map<String, ?> fields) {
        write("INFO", event, fields, null);
    }

    public static void warn(String event, Map<String, ?> fields, Throwable cause) {
        write("WARN", event, fields, cause);
    }

    public static void error(String event, Map<String, ?> fields, Throwable cause) {
        write("ERROR", event, fields, cause);
    }

    private static void write(String level, String event, Map<String, ?> fields, Throwable cause) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level);
        line.put("event", event);
        fields.forEach((name, value) -> {
            if (value != null) {
                line.put(name, value);
            }
        });
        if (cause != null) {
            line.putAll(Failures.describe(cause));
        }
        Invocation.describe(line);
        Metrics.embed(line, Metrics.of(event, fields, cause), System.currentTimeMillis());
        String text;
        try {
            text = JSON.std.asString(line);
        } catch (IOException e) {
            text = "{\"level\":\"" + level + "\",\"event\":\"" + event + "\"}";
        }
        // System.out at each write: tests capture it with System.setOut
        System.out.println(text);
    }
}
