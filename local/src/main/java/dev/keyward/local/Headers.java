package dev.keyward.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Header lookups by name. HTTP field names compare without regard to case (RFC 9110, section 5.1)
 * while the maps keep each name as it was sent, so every lookup by name in the local API goes
 * through here rather than through {@link Map#get}.
 */
final class Headers {
    private Headers() {
    }

    /** Whether {@code name} is one of {@code names}, as HTTP compares field names. */
    static boolean named(String name, String... names) {
        for (String candidate : names) {
            if (candidate.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** The value of the first header called {@code name}, or null when there is none (or no map). */
    static <V> V get(Map<String, V> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, V> header : headers.entrySet()) {
            if (named(header.getKey(), name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** Every value of every header called {@code name}, in order; empty when there is none. */
    static List<String> all(Map<String, List<String>> headers, String name) {
        List<String> values = new ArrayList<>();
        headers.forEach((key, list) -> {
            if (named(key, name)) {
                values.addAll(list);
            }
        });
        return values;
    }

    /** Adds a value under the spelling of {@code name} first seen, so one header keeps one entry. */
    static void add(Map<String, List<String>> headers, String name, String value) {
        String key = headers.keySet().stream().filter(existing -> named(existing, name)).findFirst().orElse(name);
        headers.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    /** Removes the header called {@code name} in whatever spelling it has. */
    static void remove(Map<String, ?> headers, String name) {
        headers.keySet().removeIf(existing -> named(existing, name));
    }
}
