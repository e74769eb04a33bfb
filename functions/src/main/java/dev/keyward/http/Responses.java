package dev.keyward.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** Successful answers. Every one says {@code no-store}: key responses can carry a secret. */
public final class Responses {
    private Responses() {
    }

    public static ApiResponse json(int status, Object body) {
        return withBody(status, "application/json", JsonBodies.write(body), Map.of());
    }

    public static ApiResponse created(String location, Object body) {
        return withBody(201, "application/json", JsonBodies.write(body), Map.of("Location", location));
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, baseHeaders(), null);
    }

    static ApiResponse withBody(int status, String contentType, String body, Map<String, String> extraHeaders) {
        Map<String, String> headers = baseHeaders();
        headers.put("Content-Type", contentType);
        headers.putAll(extraHeaders);
        return new ApiResponse(status, headers, body);
    }

    private static Map<String, String> baseHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        return headers;
    }
}
