package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyEventsTest {
    private static final Route ROUTE = new Route("GET", "/accounts/{accountId}/keys", "ListKeysFunction",
            "dev.keyward.handler.ListKeysHandler");
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    private final ProxyEvents events = new ProxyEvents("local", "arn:aws:iam::123456789012:user/dev",
            List.of("image/png", "application/octet-stream"));

    private static IncomingRequest request(String method, String path, String query, Map<String, List<String>> headers,
                                           String body) {
        return new IncomingRequest(method, path, query, headers,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", "127.0.0.1:3000");
    }

    @Test
    void authorizerEvent_shouldCarryThePeersAddress_asApiGatewayDoes_neverAForwardedHeader() {
        Map<String, List<String>> headers = Map.of("X-Forwarded-For", List.of("10.1.2.3"));
        IncomingRequest fromV6 = new IncomingRequest("GET", "/whoami", null, headers, new byte[0], "fe80:0:0:0:0:0:0:1%lo0",
                "localhost:3000");

        assertEquals("fe80:0:0:0:0:0:0:1", events.authorizerEvent(fromV6, new RouteTable.Found(ROUTE, Map.of()), "req-2")
                .getRequestContext().getIdentity().getSourceIp(), "the zone is the host's business");
        assertEquals("127.0.0.1", events.authorizerEvent(request("GET", "/whoami", null, headers, null),
                new RouteTable.Found(ROUTE, Map.of()), "req-3").getRequestContext().getIdentity().getSourceIp());
    }

    @Test
    void build_fillsSingleAndMultiValueMaps_theSingleOneWithTheLastValue() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Accept", List.of("text/plain", "application/json"));
        headers.put("User-agent", List.of("curl/8"));

        APIGatewayProxyRequestEvent event = events.build(
                request("GET", "/accounts/acme/keys", "limit=5&cursor=a%2Bb&tag=x&tag=y+z&flag", headers, null),
                new RouteTable.Found(ROUTE, Map.of("accountId", "acme")), "req-1", AT);

        assertEquals("GET", event.getHttpMethod());
        assertEquals("/accounts/{accountId}/keys", event.getResource());
        assertEquals("/accounts/acme/keys", event.getPath());
        assertEquals(Map.of("accountId", "acme"), event.getPathParameters());
        assertEquals(Map.of("limit", "5", "cursor", "a+b", "tag", "y z", "flag", ""), event.getQueryStringParameters());
        assertEquals(List.of("x", "y z"), event.getMultiValueQueryStringParameters().get("tag"));
        assertEquals("application/json", event.getHeaders().get("Accept"));
        assertEquals(List.of("text/plain", "application/json"), event.getMultiValueHeaders().get("Accept"));
        assertNull(event.getBody());
        assertFalse(event.getIsBase64Encoded());
    }

    @Test
    void build_leavesMapsNull_whenTheRequestHasNoneOfThem() {
        APIGatewayProxyRequestEvent event = events.build(request("GET", "/x", null, Map.of(), null),
                new RouteTable.Found(ROUTE, Map.of()), "req-1", AT);

        assertNull(event.getPathParameters());
        assertNull(event.getQueryStringParameters());
        assertNull(event.getMultiValueQueryStringParameters());
        assertNull(event.getHeaders());
        assertNull(event.getMultiValueHeaders());
    }

    @Test
    void build_passesTextBodiesAsIs_andBinaryMediaTypesAsBase64() {
        APIGatewayProxyRequestEvent json = events.build(request("POST", "/accounts/acme/keys", null,
                        Map.of("Content-Type", List.of("application/json")), "{\"name\":\"Café\"}"),
                new RouteTable.Found(ROUTE, Map.of()), "r", AT);
        APIGatewayProxyRequestEvent png = events.build(request("POST", "/accounts/acme/keys", null,
                        Map.of("Content-Type", List.of("image/png")), "PNG"),
                new RouteTable.Found(ROUTE, Map.of()), "r", AT);

        assertEquals("{\"name\":\"Café\"}", json.getBody());
        assertFalse(json.getIsBase64Encoded());
        assertEquals(Base64.getEncoder().encodeToString("PNG".getBytes(StandardCharsets.UTF_8)), png.getBody());
        assertTrue(png.getIsBase64Encoded());
    }

    @Test
    void build_describesTheStageTheCallerAndTheRequest() {
        APIGatewayProxyRequestEvent event = events.build(request("GET", "/accounts/acme/keys", null,
                        Map.of("User-Agent", List.of("browser")), null),
                new RouteTable.Found(ROUTE, Map.of("accountId", "acme")), "req-9", AT);

        var context = event.getRequestContext();
        assertEquals("local", context.getStage());
        assertEquals("/accounts/acme/keys", context.getPath(), "the stage is mapped at the root: no /local prefix");
        assertEquals("/accounts/{accountId}/keys", context.getResourcePath());
        assertEquals("GET", context.getHttpMethod());
        assertEquals("req-9", context.getRequestId());
        assertEquals(AT.toEpochMilli(), context.getRequestTimeEpoch());
        assertEquals("02/Jan/2026:03:04:05 +0000", context.getRequestTime());
        assertEquals("127.0.0.1", context.getIdentity().getSourceIp());
        assertEquals("browser", context.getIdentity().getUserAgent());
        assertEquals("arn:aws:iam::123456789012:user/dev", context.getIdentity().getUserArn());
        assertEquals("123456789012", context.getAccountId());
    }
}
