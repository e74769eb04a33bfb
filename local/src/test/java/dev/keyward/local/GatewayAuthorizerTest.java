package dev.keyward.local;

import static dev.keyward.local.Replies.EVENTS;
import static dev.keyward.local.Replies.deployed;
import static dev.keyward.local.Replies.json;
import static dev.keyward.local.Replies.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The local gateway runs a route's Lambda authorizer as API Gateway would, with stand-in handlers. */
class GatewayAuthorizerTest {
    private static final String AUTHORIZATION = "Basic Y2tfeDpjc195";

    private final List<APIGatewayCustomAuthorizerEvent> authorizerCalls = new ArrayList<>();
    private final AtomicReference<APIGatewayProxyRequestEvent> handled = new AtomicReference<>();

    private Gateway gateway(RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer) throws IOException {
        return new Gateway(deployed(), EVENTS, className -> (event, context) -> {
            handled.set(event);
            return new APIGatewayProxyResponseEvent().withStatusCode(200).withBody("{}");
        }, className -> {
            assertEquals("dev.keyward.handler.AuthorizerHandler", className);
            return (event, context) -> {
                authorizerCalls.add(event);
                return authorizer.handleRequest(event, context);
            };
        });
    }

    private static IncomingRequest whoami(String authorization) {
        Map<String, List<String>> headers = authorization == null ? Map.of() : Map.of("authorization", List.of(authorization));
        return new IncomingRequest("GET", "/whoami", null, headers, new byte[0], "127.0.0.1", "localhost");
    }

    private static IamPolicyResponseV1 policy(String effect, String resource, Map<String, Object> context) {
        return IamPolicyResponseV1.builder().withPrincipalId("key_1")
                .withPolicyDocument(IamPolicyResponseV1.PolicyDocument.builder().withVersion("2012-10-17")
                        .withStatement(List.of(IamPolicyResponseV1.Statement.builder().withEffect(effect)
                                .withAction("execute-api:Invoke").withResource(List.of(resource)).build())).build())
                .withContext(context).build();
    }

    @Test
    void routesWithoutAnAuthorizer_shouldNeverCallIt() throws IOException {
        Gateway.Reply reply = gateway((e, c) -> {
            throw new AssertionError("not for this route");
        }).serve(new IncomingRequest("GET", "/accounts/acme/keys", null, Map.of(), new byte[0], "127.0.0.1", "localhost"));

        assertEquals(200, reply.status());
        assertTrue(authorizerCalls.isEmpty());
        assertNull(handled.get().getRequestContext().getAuthorizer());
    }

    @Test
    void whoami_shouldAnswer401WithoutCallingTheAuthorizer_whenThereAreNoCredentials() throws IOException {
        Gateway.Reply reply = gateway((e, c) -> policy("Allow", e.getMethodArn(), Map.of())).serve(whoami(null));

        assertEquals(401, reply.status());
        assertEquals("unauthorized", json(reply).get("code"));
        assertTrue(reply.headers().get("WWW-Authenticate").get(0).startsWith("Basic "));
        assertTrue(authorizerCalls.isEmpty());
        assertNull(handled.get(), "the route's function must not run");
    }

    @Test
    void whoami_shouldAnswer403_onDeny_andNotRunTheFunction() throws IOException {
        Gateway.Reply reply = gateway((e, c) -> policy("Deny", e.getMethodArn(), null)).serve(whoami(AUTHORIZATION));

        assertEquals(403, reply.status());
        assertEquals("access_denied", json(reply).get("code"));
        assertNull(handled.get());
    }

    @Test
    void whoami_shouldAnswer403_whenTheAllowCoversAnotherRequest() throws IOException {
        Gateway.Reply reply = gateway((e, c) -> policy("Allow", e.getMethodArn().replace("/GET/", "/POST/"), null))
                .serve(whoami(AUTHORIZATION));

        assertEquals(403, reply.status());
    }

    @Test
    void whoami_shouldAnswer401_whenTheAuthorizerSaysUnauthorized_and500_whenItFails() throws IOException {
        assertEquals(401, gateway((e, c) -> {
            throw new RuntimeException("Unauthorized");
        }).serve(whoami(AUTHORIZATION)).status());
        List<String> log = new ArrayList<>();
        assertEquals(500, gateway((e, c) -> {
            throw new IllegalStateException("DynamoDB unreachable");
        }).logTo(log::add).serve(whoami(AUTHORIZATION)).status());
        assertEquals(List.of("local-api: AuthorizerFunction failed: java.lang.IllegalStateException"), log,
                "the failure is reported, as Lambda's log would show it");
    }

    @Test
    void whoami_shouldReachTheFunctionWithTheAuthorizersContext_onAllow_everyTime() throws IOException {
        Gateway gateway = gateway((e, c) -> policy("Allow", e.getMethodArn(), Map.of("accountId", "acme", "keyId", "key_1")));

        Gateway.Reply first = gateway.serve(whoami(AUTHORIZATION));
        gateway.serve(whoami(AUTHORIZATION));

        assertEquals(200, first.status());
        assertEquals(Map.of("accountId", "acme", "keyId", "key_1", "principalId", "key_1"),
                handled.get().getRequestContext().getAuthorizer());
        assertEquals(2, authorizerCalls.size(), "no caching: every request is checked");
        APIGatewayCustomAuthorizerEvent event = authorizerCalls.get(0);
        assertEquals("REQUEST", event.getType());
        assertEquals("arn:aws:execute-api:us-east-1:123456789012:local/local/GET/whoami", event.getMethodArn());
        assertEquals(AUTHORIZATION, event.getHeaders().get("authorization"));
    }
}
