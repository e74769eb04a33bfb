package dev.keyward.core;

import java.util.LinkedHashMap;
import java.util.Map;

/** How a failure is written to a log: by class and place, never by message or stack trace. */
public final class Failures {
    private Failures() {
    }

    /** The failure's class and where it was thrown: enough to find it, nothing that may hold a secret. */
    public static Map<String, Object> describe(Throwable cause) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        fields.put("error", cause.getClass().getName());
        if (root != cause) {
            fields.put("rootError", root.getClass().getName());
        }
        StackTraceElement[] frames = cause.getStackTrace();
        if (frames.length > 0) {
            fields.put("at", frames[0].getClassName() + "." + frames[0].getMethodName() + ":" + frames[0].getLineNumber());
        }
        return fields;
    }
}
