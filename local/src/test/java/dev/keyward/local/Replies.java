package dev.keyward.local;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Requests into, and replies out of, a {@link Gateway} over the project's own route files. */
final class Replies {
    static final ProxyEvents EVENTS = new ProxyEvents("local", null, List.of());

    private Replies() {
    }

    static RouteTable deployed() throws IOException {
        return RouteTable.load(Path.of("../infra/openapi.yaml"), Path.of("../infra/template.yaml"));
    }

    static IncomingRequest request(String method, String path, String body) {
        Map<String, List<String>> headers = body == null ? Map.of() : Map.of("Content-Type", List.of("application/json"));
        return new IncomingRequest(method, path, null, headers,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", "localhost");
    }

    static Map<String, Object> json(Gateway.Reply reply) throws IOException {
        return JSON.std.mapFrom(new String(reply.body(), StandardCharsets.UTF_8));
    }

    static String header(Gateway.Reply reply, String name) {
        List<String> values = Headers.get(reply.headers(), name);
        return values == null ? null : String.join(", ", values);
    }
}
