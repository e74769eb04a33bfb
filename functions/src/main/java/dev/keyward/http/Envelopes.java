package dev.keyward.http;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON envelopes API Gateway and Lambda exchange, read and written here rather than by the
 * Lambda runtime's serializer: the handlers are stream handlers, so the runtime's event mapping
 * (and the Jackson it carries) is never loaded. Only the members Keyward reads are looked at.
 */
final class Envelopes {
    private static final JSON READER = JSON.std;

    private Envelopes() {
    }

    /** An event as nested maps, lists, strings, numbers and booleans. */
    static Map<String, Object> read(InputStream input) throws IOException {
        Map<String, Object> event = READER.mapFrom(input);
        if (event == null) {
            throw new IOException("The event is not a JSON object");
        }
        return event;
    }

    /** The proxy response API Gateway expects from a Lambda proxy integration. */
    static void write(ApiResponse response, OutputStream output) throws IOException {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("statusCode", response.statusCode());
        envelope.put("headers", response.headers());
        if (response.body() != null) {
            envelope.put("body", response.body());
        }
        envelope.put("isBase64Encoded", false);
        write(envelope, output);
    }

    static void write(Map<String, Object> value, OutputStream output) throws IOException {
        output.write(JsonBodies.write(value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A member that is a JSON object, or null. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> parent, String name) {
        Object value = parent == null ? null : parent.get(name);
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    /** A member as text (strings as they are, numbers and booleans printed), or null. */
    static String text(Map<String, Object> parent, String name) {
        Object value = parent == null ? null : parent.get(name);
        return value == null || value instanceof Map<?, ?> || value instanceof java.util.List<?> ? null : value.toString();
    }

    /** A header by case-insensitive name, as HTTP defines them, from an event's {@code headers}. */
    static String header(Map<String, Object> event, String name) {
        return Headers.find(object(event, "headers"), name);
    }
}
