package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static dev.keyward.local.Replies.EVENTS;
import static dev.keyward.local.Replies.deployed;
import static dev.keyward.local.Replies.header;
import static dev.keyward.local.Replies.json;
import static dev.keyward.local.Replies.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class GatewayTest {
    @Test
    void serve_answersAnUnknownRoute_with404ProblemJson() throws IOException {
        Gateway gateway = new Gateway(deployed(), EVENTS, className -> (event, context) -> {
            throw new AssertionError("no handler may run for a request that matches no route");
        });

        Gateway.Reply reply = gateway.serve(request("GET", "/accounts", null));

        assertEquals(404, reply.status());
        assertEquals("application/problem+json", header(reply, "Content-Type"));
        assertEquals("route_not_found", json(reply).get("code"));
        assertEquals(404, json(reply).get("status"));
    }

    @Test
    void serve_answersAWrongMethod_with405AndAllow() throws IOException {
        Gateway gateway = new Gateway(deployed(), EVENTS, className -> (event, context) -> {
            throw new AssertionError("no handler may run for a request that matches no route");
        });

        Gateway.Reply reply = gateway.serve(request("PUT", "/accounts/acme/keys/key_x", null));

        assertEquals(405, reply.status());
        assertEquals("DELETE, GET, PATCH", header(reply, "Allow"));
        assertEquals("method_not_allowed", json(reply).get("code"));
    }

    @Test
    void serve_handsTheHandlerTheProxyEventForItsRoute() throws IOException {
        AtomicReference<APIGatewayProxyRequestEvent> seen = new AtomicReference<>();
        Gateway gateway = new Gateway(deployed(), EVENTS, className -> (event, context) -> {
            seen.set(event);
            assertEquals(event.getRequestContext().getRequestId(), context.getAwsRequestId());
            return new APIGatewayProxyResponseEvent().withStatusCode(200).withBody(className);
        });

        Gateway.Reply reply = gateway.serve(request("DELETE", "/accounts/acme/keys/key_1", null));

        assertEquals("dev.keyward.handler.DeleteKeyHandler", new String(reply.body(), StandardCharsets.UTF_8));
        assertEquals("/accounts/{accountId}/keys/{keyId}", seen.get().getResource());
        assertEquals(Map.of("accountId", "acme", "keyId", "key_1"), seen.get().getPathParameters());
        assertEquals("application/json", header(reply, "Content-Type"), "API Gateway's default");
    }

    @Test
    void serve_answers502AsApiGatewayDoes_whenTheHandlerThrowsOrReturnsNoStatus() throws IOException {
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> throwing = (e, c) -> {
            throw new IllegalStateException("boom");
        };
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> empty =
                (e, c) -> new APIGatewayProxyResponseEvent();

        List<String> log = new java.util.ArrayList<>();
        for (var handler : List.of(throwing, empty)) {
            Gateway.Reply reply = new Gateway(deployed(), EVENTS, className -> handler).logTo(log::add)
                    .serve(request("GET", "/accounts/acme/keys", null));
            assertEquals(502, reply.status());
            assertEquals("Internal server error", json(reply).get("message"));
        }
        assertEquals(List.of("local-api: ListKeysFunction failed: java.lang.IllegalStateException"), log,
                "a throwing handler is reported; one that answers nothing is only a 502");
    }

    @Test
    void reply_mergesHeadersAsApiGatewayDoes_andDecodesBase64Bodies() {
        APIGatewayProxyResponseEvent response = new APIGatewayProxyResponseEvent().withStatusCode(200)
                .withHeaders(Map.of("Set-Cookie", "a=1", "Content-Type", "image/png"))
                .withMultiValueHeaders(Map.of("set-cookie", List.of("b=2", "c=3")))
                .withIsBase64Encoded(true)
                .withBody(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));

        Gateway.Reply reply = Gateway.reply(response, "req");

        assertEquals(List.of("b=2", "c=3"), reply.headers().get("set-cookie"));
        assertTrue(!reply.headers().containsKey("Set-Cookie"));
        assertEquals(List.of("image/png"), reply.headers().get("Content-Type"));
        assertArrayEquals(new byte[] {1, 2, 3}, reply.body());
    }
}
