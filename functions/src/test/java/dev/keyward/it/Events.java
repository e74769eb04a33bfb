package dev.keyward.it;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.util.HashMap;
import java.util.Map;

/** The API Gateway events under events/, adjusted per test. */
final class Events {
    private Events() {
    }

    static APIGatewayProxyRequestEvent create(String accountId, String body) {
        APIGatewayProxyRequestEvent event = load("create-key.json");
        return retarget(event, "/accounts/" + accountId + "/keys", Map.of("accountId", accountId)).withBody(body);
    }

    static APIGatewayProxyRequestEvent createNamed(String accountId, String name) {
        return create(accountId, "{\"name\":" + jsonString(name) + "}");
    }

    static APIGatewayProxyRequestEvent list(String accountId, Map<String, String> query) {
        APIGatewayProxyRequestEvent event = load("list-keys.json");
        return retarget(event, "/accounts/" + accountId + "/keys", Map.of("accountId", accountId))
                .withQueryStringParameters(query.isEmpty() ? null : new HashMap<>(query));
    }

    static APIGatewayProxyRequestEvent get(String accountId, String keyId) {
        return retarget(load("get-key.json"), "/accounts/" + accountId + "/keys/" + keyId,
                Map.of("accountId", accountId, "keyId", keyId));
    }

    /** GET .../usage with {@code days} (none when null). */
    static APIGatewayProxyRequestEvent usage(String accountId, String keyId, String days) {
        return retarget(load("get-key-usage.json"), "/accounts/" + accountId + "/keys/" + keyId + "/usage",
                Map.of("accountId", accountId, "keyId", keyId))
                .withQueryStringParameters(days == null ? null : new HashMap<>(Map.of("days", days)));
    }

    static APIGatewayProxyRequestEvent delete(String accountId, String keyId) {
        return retarget(load("delete-key.json"), "/accounts/" + accountId + "/keys/" + keyId,
                Map.of("accountId", accountId, "keyId", keyId));
    }

    static APIGatewayProxyRequestEvent rename(String accountId, String keyId, String body) {
        return retarget(load("update-key.json"), "/accounts/" + accountId + "/keys/" + keyId,
                Map.of("accountId", accountId, "keyId", keyId)).withBody(body);
    }

    static APIGatewayProxyRequestEvent rotate(String accountId, String keyId, String body) {
        return retarget(load("rotate-key.json"), "/accounts/" + accountId + "/keys/" + keyId + "/rotate",
                Map.of("accountId", accountId, "keyId", keyId)).withBody(body);
    }

    static APIGatewayProxyRequestEvent getSettings(String accountId) {
        return retarget(load("get-settings.json"), "/accounts/" + accountId + "/settings", Map.of("accountId", accountId));
    }

    static APIGatewayProxyRequestEvent updateSettings(String accountId, String body) {
        return retarget(load("update-settings.json"), "/accounts/" + accountId + "/settings", Map.of("accountId", accountId))
                .withBody(body);
    }

    static APIGatewayProxyRequestEvent audit(String accountId, Map<String, String> query) {
        return retarget(load("list-audit.json"), "/accounts/" + accountId + "/audit", Map.of("accountId", accountId))
                .withQueryStringParameters(query.isEmpty() ? null : new HashMap<>(query));
    }

    /** A secret scanner's report as API Gateway passes it on: this body, with these signature headers (none when null). */
    static APIGatewayProxyRequestEvent reportLeaks(String body, String keyIdentifier, String signature) {
        APIGatewayProxyRequestEvent event = load("report-leaks.json").withBody(body);
        event = withHeader(event, "Github-Public-Key-Identifier", keyIdentifier);
        return withHeader(event, "Github-Public-Key-Signature", signature);
    }

    /** The request API Gateway sends the authorizer, with this Authorization header (none when null). */
    static APIGatewayCustomAuthorizerEvent authorize(String authorization) {
        APIGatewayCustomAuthorizerEvent event = EventLoader.loadAPIGatewayCustomAuthorizerEvent("/events/authorize.json");
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.remove("Authorization");
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        event.setHeaders(headers);
        return event;
    }

    /**
     * The request API Gateway sends the authorizer for {@code method path} of stage prod, with this
     * Authorization header, from {@code sourceIp} (requestContext.identity.sourceIp, the address API
     * Gateway saw; X-Forwarded-For says 10.0.0.1 whatever it is: the caller writes that one).
     */
    static APIGatewayCustomAuthorizerEvent authorize(String authorization, String sourceIp, String method, String path) {
        APIGatewayCustomAuthorizerEvent event = authorize(authorization);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("X-Forwarded-For", "10.0.0.1");
        event.setHeaders(headers);
        event.getRequestContext().getIdentity().setSourceIp(sourceIp);
        event.setMethodArn("arn:aws:execute-api:us-east-1:123456789012:abc123/prod/" + method + path);
        event.setHttpMethod(method);
        event.setPath(path);
        return event;
    }

    /** GET /whoami as API Gateway passes it on after the authorizer allowed it with this context. */
    static APIGatewayProxyRequestEvent whoami(Map<String, Object> authorizerContext) {
        APIGatewayProxyRequestEvent event = load("whoami.json");
        event.getRequestContext().setAuthorizer(authorizerContext == null ? null : new HashMap<>(authorizerContext));
        return event;
    }

    static String basic(String clientId, String clientSecret) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (clientId + ":" + clientSecret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static APIGatewayProxyRequestEvent load(String file) {
        return EventLoader.loadApiGatewayRestEvent("/events/" + file);
    }

    static APIGatewayProxyRequestEvent withHeader(APIGatewayProxyRequestEvent event, String name, String value) {
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.keySet().removeIf(h -> h.equalsIgnoreCase(name));
        if (value != null) {
            headers.put(name, value);
        }
        return event.withHeaders(headers);
    }

    private static APIGatewayProxyRequestEvent retarget(APIGatewayProxyRequestEvent event, String path,
                                                        Map<String, String> pathParameters) {
        event.getRequestContext().setPath("/prod" + path);
        return event.withPath(path).withPathParameters(new HashMap<>(pathParameters));
    }

    static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
