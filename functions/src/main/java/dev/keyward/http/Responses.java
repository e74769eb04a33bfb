package dev.keyward.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** Successful answers. Every one says {@code no-store}: key responses can carry a secret. */
public final class Responses {
    private Responses() {
    }

    public static APIGatewayProxyResponseEvent json(int status, Object body) {
        return withBody(status, "application/json", JsonBodies.write(body), Map.of());
    }

    public static APIGatewayProxyResponseEvent created(String location, Object body) {
        return withBody(201, "application/json", JsonBodies.write(body), Map.of("Location", location));
    }

    public static APIGatewayProxyResponseEvent noContent() {
        return new APIGatewayProxyResponseEvent().withStatusCode(204).withHeaders(baseHeaders());
    }

    static APIGatewayProxyResponseEvent withBody(int status, String contentType, String body,
                                                 Map<String, String> extraHeaders) {
        Map<String, String> headers = baseHeaders();
        headers.put("Content-Type", contentType);
        headers.putAll(extraHeaders);
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(headers).withBody(body);
    }

    private static Map<String, String> baseHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        return headers;
    }
}
