package dev.keyward.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.core.ErrorCode;
import dev.keyward.http.Problems;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Does API Gateway's part for one request: finds the route, builds the proxy event, invokes the
 * handler the deployed function runs, and turns its answer into the HTTP response API Gateway
 * would send. Independent of the HTTP server, so it is tested without sockets.
 */
final class Gateway {
    /** API Gateway's answer when the function fails or returns something that is not a proxy response. */
    private static final String BAD_GATEWAY = "{\"message\": \"Internal server error\"}";
    private static final long FUNCTION_TIMEOUT_MILLIS = 15_000;

    private final RouteTable routes;
    private final ProxyEvents events;
    private final Map<String, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> handlers;

    /**
     * @param handlerFor the handler for a class named in template.yaml; called once per class, at start
     */
    Gateway(RouteTable routes, ProxyEvents events,
            Function<String, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> handlerFor) {
        this.routes = routes;
        this.events = events;
        this.handlers = new LinkedHashMap<>();
        for (Route route : routes.routes()) {
            handlers.computeIfAbsent(route.handlerClass(), handlerFor);
        }
    }

    RouteTable routes() {
        return routes;
    }

    /** An HTTP response to send: every header with all its values, and the body bytes. */
    record Reply(int status, Map<String, List<String>> headers, byte[] body) {
    }

    Reply serve(IncomingRequest request) {
        String requestId = UUID.randomUUID().toString();
        RouteTable.Lookup lookup = routes.find(request.method(), request.rawPath());
        if (lookup instanceof RouteTable.NotFound) {
            return reply(Problems.of(ErrorCode.ROUTE_NOT_FOUND, "No route matches " + request.method() + " "
                    + printable(request.rawPath()) + ".", requestId, Map.of()), requestId);
        }
        if (lookup instanceof RouteTable.MethodNotAllowed notAllowed) {
            String allow = String.join(", ", notAllowed.allowed());
            return reply(Problems.of(ErrorCode.METHOD_NOT_ALLOWED, "This resource answers " + allow + ", not "
                    + printable(request.method()) + ".", requestId, Map.of("Allow", allow)), requestId);
        }
        RouteTable.Found found = (RouteTable.Found) lookup;
        APIGatewayProxyRequestEvent event = events.build(request, found, requestId, Instant.now());
        APIGatewayProxyResponseEvent response;
        try {
            response = handlers.get(found.route().handlerClass()).handleRequest(event,
                    new LocalContext(requestId, found.route().function(), FUNCTION_TIMEOUT_MILLIS));
        } catch (RuntimeException | Error e) {
            // On Lambda an escaped exception is a failed invocation: API Gateway answers 502.
            System.err.println("local-api: " + found.route().function() + " failed: " + e.getClass().getName());
            return badGateway(requestId);
        }
        if (response == null || response.getStatusCode() == null) {
            return badGateway(requestId);
        }
        return reply(response, requestId);
    }

    /** Writes a proxy response as API Gateway does: headers merged, base64 bodies decoded, JSON by default. */
    static Reply reply(APIGatewayProxyResponseEvent response, String requestId) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> headers.put(name, new ArrayList<>(List.of(value))));
        }
        if (response.getMultiValueHeaders() != null) {
            // a name in both maps keeps the multi-value list, as API Gateway merges them
            response.getMultiValueHeaders().forEach((name, values) -> {
                headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
                headers.put(name, new ArrayList<>(values));
            });
        }
        if (headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("Content-Type"))) {
            headers.put("Content-Type", List.of("application/json"));
        }
        headers.put("x-amzn-RequestId", List.of(requestId));
        byte[] body;
        String text = response.getBody();
        if (text == null) {
            body = new byte[0];
        } else if (Boolean.TRUE.equals(response.getIsBase64Encoded())) {
            try {
                body = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                return badGateway(requestId);
            }
        } else {
            body = text.getBytes(StandardCharsets.UTF_8);
        }
        return new Reply(response.getStatusCode(), headers, body);
    }

    private static Reply badGateway(String requestId) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("x-amzn-RequestId", List.of(requestId));
        headers.put("x-amzn-ErrorType", List.of("InternalServerErrorException"));
        return new Reply(502, headers, BAD_GATEWAY.getBytes(StandardCharsets.UTF_8));
    }

    private static String printable(String s) {
        String cut = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
