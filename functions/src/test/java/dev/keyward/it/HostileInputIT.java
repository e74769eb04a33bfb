package dev.keyward.it;

import dev.keyward.invoke.StreamHandlers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.keyward.runtime.Keyward;
import dev.keyward.handler.AuthorizerHandler;
import dev.keyward.http.Authorizers.AuthorizerFailure;
import dev.keyward.it.AwsEnvironment.Aws;
import dev.keyward.it.HostileRequests.Hostile;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HostileRequests} handed to the handlers as API Gateway would hand them (bodies as text,
 * bytes that are not UTF-8 replaced by U+FFFD, unless the case asks for base64), through the SDK
 * to the emulator: each is answered with its problem+json 4xx, repeats no pasted secret, and
 * leaves the table and Secrets Manager exactly as they were.
 */
@ExtendWith(AwsEnvironment.class)
class HostileInputIT {
    private static String keyId;
    private static Aws aws;
    private static Api api;
    private static RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer;

    /** One table for the whole table of cases, holding one key that no case may change. */
    @BeforeAll
    static void setUp(Aws classAws) {
        aws = classAws;
        api = new Api(aws.service());
        authorizer = StreamHandlers.authorizer(new AuthorizerHandler(Keyward.verifier(aws.settings(), aws.clients(),
                Clock.systemUTC())));
        keyId = (String) api.createKey(HostileRequests.ACCOUNT, "Original").get("id");
    }

    static Stream<Hostile> cases() {
        return HostileRequests.all().stream();
    }

    @Test
    void theTable_shouldHoldAtLeast60Cases() {
        assertTrue(HostileRequests.all().size() >= 60, "cases: " + HostileRequests.all().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachHostileRequest_shouldGetItsProblem_andStoreNothing(Hostile hostile) {
        StoredState before = stored();
        assertTrue(before.items().stream().anyMatch(item -> item.contains(keyId)), "the key is in the table");
        assertEquals(1, before.secrets().size(), "its secret is in Secrets Manager");

        Answer answer = send(hostile);

        assertEquals(hostile.status(), answer.status, answer.body);
        assertEquals(hostile.code(), answer.code, answer.body);
        assertFalse(answer.body.contains(HostileRequests.PASTED_MARK), "a pasted secret came back: " + answer.body);
        assertEquals(before, stored(), "a refused request changed what is stored");
    }

    private static StoredState stored() {
        return StoredState.read(aws.clients().dynamoDb(), aws.clients().secretsManager(), aws.settings().tableName(),
                HostileRequests.ACCOUNT);
    }

    private record Answer(int status, String code, String body) {
    }

    private Answer send(Hostile hostile) {
        if (hostile.resource().equals("/whoami")) {
            return authorize(hostile);
        }
        APIGatewayProxyResponseEvent response = handlerFor(hostile).handleRequest(event(hostile), null);
        assertEquals("application/problem+json", response.getHeaders().get("Content-Type"), response.getBody());
        Map<String, Object> problem = Api.json(response);
        assertEquals(response.getStatusCode(), ((Number) problem.get("status")).intValue());
        return new Answer(response.getStatusCode(), (String) problem.get("code"), response.getBody());
    }

    /** What API Gateway answers for the key authorizer's outcome: 401 when it fails "Unauthorized", 403 on a policy that does not allow the request. */
    private Answer authorize(Hostile hostile) {
        APIGatewayCustomAuthorizerEvent event = Events.authorize(hostile.headers().get("Authorization"));
        if (hostile.headers().containsKey("Authorization") && hostile.headers().get("Authorization").isBlank()) {
            // API Gateway does not call the authorizer without an identity source; it answers 401 itself
            return new Answer(401, "unauthorized", "");
        }
        try {
            IamPolicyResponseV1 policy = authorizer.handleRequest(event, null);
            String effect = String.valueOf(policy.getPolicyDocument().get("Statement"));
            assertFalse(effect.contains("Allow"), "allowed: " + effect);
            assertFalse(String.valueOf(policy.getContext()).contains(HostileRequests.PASTED_MARK));
            return new Answer(403, "access_denied", String.valueOf(policy.getPolicyDocument()));
        } catch (AuthorizerFailure e) {
            assertEquals("Unauthorized", e.getMessage());
            return new Answer(401, "unauthorized", e.getMessage());
        }
    }

    private RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handlerFor(Hostile hostile) {
        Map<String, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> byMethod = new LinkedHashMap<>();
        switch (hostile.resource()) {
            case "/accounts/{accountId}/keys" -> {
                byMethod.put("POST", api.create);
                byMethod.put("GET", api.list);
            }
            case "/accounts/{accountId}/keys/{keyId}" -> {
                byMethod.put("GET", api.get);
                byMethod.put("DELETE", api.delete);
                byMethod.put("PATCH", api.rename);
            }
            case "/accounts/{accountId}/keys/{keyId}/rotate" -> byMethod.put("POST", api.rotate);
            case "/accounts/{accountId}/audit" -> byMethod.put("GET", api.audit);
            default -> throw new AssertionError("no handler for " + hostile.resource());
        }
        // a method the resource does not serve reaches one of its handlers, which answers 405
        return byMethod.getOrDefault(hostile.method(), byMethod.values().iterator().next());
    }

    /** The proxy event API Gateway sends for this request. */
    private static APIGatewayProxyRequestEvent event(Hostile hostile) {
        APIGatewayProxyRequestEvent event = Events.load("create-key.json");
        String path = hostile.path(keyId);
        event.getRequestContext().setPath("/prod" + path);
        event.getRequestContext().setResourcePath(hostile.resource());
        event.getRequestContext().setHttpMethod(hostile.method());
        event.withHttpMethod(hostile.method()).withResource(hostile.resource()).withPath(path)
                .withPathParameters(new HashMap<>(hostile.pathParameters(keyId)))
                .withHeaders(hostile.headers().isEmpty() ? null : new HashMap<>(hostile.headers()))
                .withMultiValueHeaders(null)
                .withQueryStringParameters(query(hostile.query()))
                .withMultiValueQueryStringParameters(null);
        if (hostile.body() == null && hostile.base64()) {
            event.withBody("%%% not base64 %%%").withIsBase64Encoded(true);
        } else if (hostile.body() == null || hostile.body().length == 0) {
            event.withBody(null).withIsBase64Encoded(false);
        } else if (hostile.base64()) {
            event.withBody(Base64.getEncoder().encodeToString(hostile.body())).withIsBase64Encoded(true);
        } else {
            event.withBody(new String(hostile.body(), StandardCharsets.UTF_8)).withIsBase64Encoded(false);
        }
        return event;
    }

    private static Map<String, String> query(String raw) {
        if (raw == null) {
            return null;
        }
        Map<String, String> query = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }
}
