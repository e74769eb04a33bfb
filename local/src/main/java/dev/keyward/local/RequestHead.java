package dev.keyward.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request line and its headers, as {@link RequestReader} read them.
 *
 * @param method   upper case
 * @param rawPath  the path as sent, still percent-encoded
 * @param rawQuery the query as sent, or null without one
 * @param version  {@code HTTP/1.0} or {@code HTTP/1.1}
 * @param headers  every header with all its values, in the order received, each name under its first spelling
 */
record RequestHead(String method, String rawPath, String rawQuery, String version, Map<String, List<String>> headers) {
    RequestHead(String method, String rawPath, String rawQuery, String version) {
        this(method, rawPath, rawQuery, version, new LinkedHashMap<>());
    }

    /** The first value of the header called {@code name}, or null. */
    String first(String name) {
        List<String> values = Headers.get(headers, name);
        return values == null ? null : values.get(0);
    }

    /** Every value of the header called {@code name}. */
    List<String> all(String name) {
        return Headers.all(headers, name);
    }

    /** Whether the connection may carry another request after this one. */
    boolean keepAlive() {
        String connection = first("Connection");
        boolean close = connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
        return version.equals("HTTP/1.1") && !close;
    }
}
