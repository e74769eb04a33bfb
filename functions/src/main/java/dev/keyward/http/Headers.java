package dev.keyward.http;

import java.util.Map;

/** HTTP headers as maps of name to value: names compare case-insensitively, as HTTP defines them. */
public final class Headers {
    private Headers() {
    }

    /** The value of the first header named {@code name} in any case that has one, or null. */
    public static String find(Map<String, ?> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, ?> header : headers.entrySet()) {
            if (name.equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
                return header.getValue().toString();
            }
        }
        return null;
    }
}
