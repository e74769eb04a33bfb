package dev.keyward.local;

import dev.keyward.invoke.InvocationContext;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.keyward.core.ErrorCode;
import dev.keyward.http.ApiResponse;
import dev.keyward.http.Problems;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Does API Gateway's part for one request: finds the route, runs the route's Lambda authorizer
 * if it has one (401 without credentials, 403 on Deny, never cached, as the deployed TTL 0),
 * builds the proxy event, invokes the handler the deployed function runs, and turns its answer
 * into the HTTP response API Gateway would send. Independent of the HTTP server, so it is tested
 * without sockets.
 */
final class Gateway {
    /** API Gateway's answer when the function fails or returns something that is not a proxy response. */
    private static final String BAD_GATEWAY = "{\"message\": \"Internal server error\"}";
    private static final long FUNCTION_TIMEOUT_MILLIS = 15_000;

    private final RouteTable routes;
    private final ProxyEvents events;
    private final Map<String, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> handlers;
    private final Map<String, RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1>> authorizers;
    private Consumer<String> log = System.err::println;

    /** A gateway whose authorizers, if a route has one, fail: such routes answer 500. */
    Gateway(RouteTable routes, ProxyEvents events,
            Function<String, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> handlerFor) {
        this(routes, events, handlerFor, className -> (event, context) -> {
            throw new IllegalStateException("no authorizer configured");
        });
    }

    /**
     * @param handlerFor    the handler for a class named in template.yaml; called once per class, at start
     * @param authorizerFor the same for the Lambda authorizers that openapi.yaml names
     */
    Gateway(RouteTable routes, ProxyEvents events,
            Function<String, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> handlerFor,
            Function<String, RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1>> authorizerFor) {
        this.routes = routes;
        this.events = events;
        this.handlers = new LinkedHashMap<>();
        this.authorizers = new LinkedHashMap<>();
        for (Route route : routes.routes()) {
            handlers.computeIfAbsent(route.handlerClass(), handlerFor);
            if (route.authorizer() != null) {
                authorizers.computeIfAbsent(route.authorizer().handlerClass(), authorizerFor);
            }
        }
    }

    RouteTable routes() {
        return routes;
    }

    /** Where a failed invocation is reported, as Lambda's log would show it (stderr by default). */
    Gateway logTo(Consumer<String> sink) {
        this.log = sink;
        return this;
    }

    /**
     * The resource a request goes to, as its template ({@code /accounts/{accountId}/keys}), for
     * the access log: a path as sent may carry anything a client pasted into it.
     */
    String routeTemplate(String method, String rawPath) {
        RouteTable.Lookup lookup = routes.find(method, rawPath);
        return lookup instanceof RouteTable.Found found ? found.route().resource() : "(no route)";
    }

    /** An HTTP response to send: every header with all its values, and the body bytes. */
    record Reply(int status, Map<String, List<String>> headers, byte[] body) {
    }

    Reply serve(IncomingRequest request) {
        String requestId = UUID.randomUUID().toString();
        RouteTable.Lookup lookup = routes.find(request.method(), request.rawPath());
        if (lookup instanceof RouteTable.NotFound) {
            // the path is not echoed: it may hold anything a client pasted into it
            return reply(Problems.of(ErrorCode.ROUTE_NOT_FOUND, "No route matches this method and path.",
                    requestId, Map.of()), requestId);
        }
        if (lookup instanceof RouteTable.MethodNotAllowed notAllowed) {
            String allow = String.join(", ", notAllowed.allowed());
            return reply(Problems.of(ErrorCode.METHOD_NOT_ALLOWED, "This resource answers " + allow + ", not "
                    + printable(request.method()) + ".", requestId, Map.of("Allow", allow)), requestId);
        }
        RouteTable.Found found = (RouteTable.Found) lookup;
        Map<String, Object> authorizerContext = null;
        if (found.route().authorizer() != null) {
            Authorization authorization = authorize(request, found, requestId);
            if (authorization.refusal() != null) {
                return authorization.refusal();
            }
            authorizerContext = authorization.context();
        }
        APIGatewayProxyRequestEvent event = events.build(request, found, requestId, Instant.now());
        if (authorizerContext != null) {
            event.getRequestContext().setAuthorizer(authorizerContext);
        }
        APIGatewayProxyResponseEvent response;
        try {
            response = handlers.get(found.route().handlerClass()).handleRequest(event,
                    context(requestId, found.route().function()));
        } catch (RuntimeException | Error e) {
            // On Lambda an escaped exception is a failed invocation: API Gateway answers 502.
            log.accept("local-api: " + found.route().function() + " failed: " + e.getClass().getName());
            return badGateway(requestId);
        }
        if (response == null || response.getStatusCode() == null) {
            return badGateway(requestId);
        }
        return reply(response, requestId);
    }

    /** Either the context the authorizer allowed the request with, or the answer that refuses it. */
    private record Authorization(Map<String, Object> context, Reply refusal) {
    }

    /**
     * What API Gateway does before a route with a Lambda REQUEST authorizer: 401 without the
     * identity header (the authorizer is not called), 401 when it fails with "Unauthorized", 500
     * when it fails otherwise, 403 unless its policy allows this request's method ARN.
     */
    private Authorization authorize(IncomingRequest request, RouteTable.Found found, String requestId) {
        Route.Authorizer authorizer = found.route().authorizer();
        APIGatewayCustomAuthorizerEvent event = events.authorizerEvent(request, found, requestId);
        String identity = authorizer.identityHeader() == null ? "" : Headers.get(event.getHeaders(), authorizer.identityHeader());
        if (identity == null || identity.isBlank()) {
            return new Authorization(null, unauthorized(requestId));
        }
        IamPolicyResponseV1 policy;
        try {
            policy = authorizers.get(authorizer.handlerClass()).handleRequest(event,
                    context(requestId, authorizer.function()));
        } catch (RuntimeException | Error e) {
            if ("Unauthorized".equals(e.getMessage())) {
                return new Authorization(null, unauthorized(requestId));
            }
            log.accept("local-api: " + authorizer.function() + " failed: " + e.getClass().getName());
            return new Authorization(null, reply(Problems.of(ErrorCode.INTERNAL,
                    "Something went wrong on our side; the request was not completed.", requestId, Map.of()), requestId));
        }
        if (policy == null || !Policies.allows(policy.getPolicyDocument(), event.getMethodArn())) {
            return new Authorization(null, reply(Problems.of(ErrorCode.ACCESS_DENIED,
                    "User is not authorized to access this resource", requestId, Map.of()), requestId));
        }
        Map<String, Object> context = new LinkedHashMap<>();
        if (policy.getContext() != null) {
            context.putAll(policy.getContext());
        }
        context.put("principalId", policy.getPrincipalId());
        return new Authorization(context, null);
    }

    private static Reply unauthorized(String requestId) {
        return reply(Problems.of(ErrorCode.UNAUTHORIZED,
                "Send a valid key as Authorization: Basic base64(clientId:clientSecret).", requestId,
                Map.of("WWW-Authenticate", "Basic realm=\"keyward\", charset=\"UTF-8\"")), requestId);
    }

    /** An answer API Gateway itself gives (no route, no credentials), in the same problem+json as the functions'. */
    static Reply reply(ApiResponse response, String requestId) {
        return reply(new APIGatewayProxyResponseEvent().withStatusCode(response.statusCode())
                .withHeaders(new LinkedHashMap<>(response.headers())).withBody(response.body()), requestId);
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
                Headers.remove(headers, name);
                headers.put(name, new ArrayList<>(values));
            });
        }
        if (Headers.get(headers, "Content-Type") == null) {
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

    /** The Lambda context of one local invocation of {@code function}: $LATEST, logging to standard output. */
    private static InvocationContext context(String requestId, String function) {
        return new InvocationContext(requestId, function, "$LATEST",
                "arn:aws:lambda:local:" + ProxyEvents.ACCOUNT_ID + ":function:" + function, "/aws/lambda/" + function,
                "local", java.time.Duration.ofMillis(FUNCTION_TIMEOUT_MILLIS));
    }
}
