package dev.keyward.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: API Gateway's proxy response ({@code statusCode}, {@code headers},
 * {@code body}), written to the output stream by {@link Api#serve}.
 *
 * @param body the body text, or null for none
 */
public record ApiResponse(int statusCode, Map<String, String> headers, String body) {
    public ApiResponse {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A header by case-insensitive name, or null. */
    public String header(String name) {
        return Headers.find(headers, name);
    }
}
