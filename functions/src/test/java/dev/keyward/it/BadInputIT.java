package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.it.AwsEnvironment.Aws;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad request gets a clear problem+json answer, never a 500, a trace or a secret. */
@ExtendWith(AwsEnvironment.class)
class BadInputIT {
    private Api api;

    @BeforeEach
    void setUp(Aws aws) {
        api = new Api(aws.service());
    }

    static Stream<Arguments> badCreateBodies() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"name\": \"Warehouse", 400, "invalid_json"),
                Arguments.of("not an object", "[\"Warehouse Dashboard\"]", 400, "invalid_json"),
                Arguments.of("two values", "{\"name\":\"a\"} {\"name\":\"b\"}", 400, "invalid_json"),
                Arguments.of("duplicate member", "{\"name\":\"a\",\"name\":\"b\"}", 400, "invalid_json"),
                Arguments.of("empty body", "", 400, "invalid_json"),
                Arguments.of("missing name", "{}", 400, "invalid_name"),
                Arguments.of("null name", "{\"name\":null}", 400, "invalid_name"),
                Arguments.of("number name", "{\"name\":42}", 400, "invalid_name"),
                Arguments.of("empty name", "{\"name\":\"\"}", 400, "invalid_name"),
                Arguments.of("blank name", "{\"name\":\"   \"}", 400, "invalid_name"),
                Arguments.of("101 characters", "{\"name\":\"" + "x".repeat(101) + "\"}", 400, "invalid_name"),
                Arguments.of("line break", "{\"name\":\"Warehouse\\nDashboard\"}", 400, "invalid_name"),
                Arguments.of("NUL", "{\"name\":\"Warehouse\\u0000\"}", 400, "invalid_name"),
                Arguments.of("unknown field", "{\"name\":\"ok\",\"clientSecret\":\"kw_sec_mine\"}", 400, "unknown_field"),
                Arguments.of("over 16 KiB", "{\"name\":\"ok\",\"pad\":\"" + "x".repeat(16 * 1024) + "\"}", 413, "payload_too_large"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCreateBodies")
    void create_shouldRefuseBadBodies(String what, String body, int status, String code) {
        APIGatewayProxyResponseEvent response = api.create(Events.create("acme-bad", body));

        assertProblem(response, status, code);
        assertEquals(0, countKeys("acme-bad"), "nothing may be stored for a refused request");
        if (what.equals("number name")) {
            assertTrue(Api.json(response).get("detail").toString().contains("must be a JSON string"), response.getBody());
        }
    }

    @Test
    void create_shouldAcceptExactly100Characters_andBase64Bodies() {
        String name = "y".repeat(100);
        APIGatewayProxyRequestEvent event = Events.createNamed("acme-edge", name);
        event.withBody(Base64.getEncoder().encodeToString(event.getBody().getBytes(StandardCharsets.UTF_8)))
                .withIsBase64Encoded(true);

        APIGatewayProxyResponseEvent response = api.create(event);

        assertEquals(201, response.getStatusCode(), response.getBody());
        assertEquals(name, Api.json(response).get("name"));
    }

    @ParameterizedTest(name = "Content-Type: {0}")
    @org.junit.jupiter.params.provider.NullSource
    @org.junit.jupiter.params.provider.ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/jsonp"})
    void create_shouldAnswer415_whenTheBodyIsNotDeclaredJson(String contentType) {
        APIGatewayProxyRequestEvent event = Events.withHeader(
                Events.createNamed("acme-media", "Warehouse Dashboard"), "Content-Type", contentType);

        assertProblem(api.create(event), 415, "unsupported_media_type");
    }

    @Test
    void create_shouldAcceptJsonWithCharset_inAnyCase() {
        APIGatewayProxyRequestEvent event = Events.withHeader(
                Events.createNamed("acme-media", "Warehouse Dashboard"), "content-type", "Application/JSON; charset=utf-8");

        assertEquals(201, api.create(event).getStatusCode());
    }

    @ParameterizedTest(name = "account id ''{0}''")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"-acme", "acme corp", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "acme%2Fother"})
    void everyRoute_shouldAnswer400_forABadAccountId(String accountId) {
        String keyId = "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3";
        assertProblem(api.create(Events.createNamed(accountId, "x")), 400, "invalid_account_id");
        assertProblem(api.list.handleRequest(Events.list(accountId, Map.of()), null), 400, "invalid_account_id");
        assertProblem(api.get.handleRequest(Events.get(accountId, keyId), null), 400, "invalid_account_id");
        assertProblem(api.delete.handleRequest(Events.delete(accountId, keyId), null), 400, "invalid_account_id");
    }

    @Test
    void getAndDelete_shouldAnswer404_forUnknownMalformedAndOtherAccountsKeys() {
        String theirs = (String) api.createKey("acme-owner", "Warehouse Dashboard").get("id");
        String unknown = "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3";

        APIGatewayProxyResponseEvent other = api.get.handleRequest(Events.get("acme-intruder", theirs), null);
        APIGatewayProxyResponseEvent missing = api.get.handleRequest(Events.get("acme-intruder", unknown), null);

        assertProblem(other, 404, "key_not_found");
        assertProblem(missing, 404, "key_not_found");
        assertEquals(missing.getBody(), other.getBody(), "another account's key must be indistinguishable from an unknown one");
        assertProblem(api.get.handleRequest(Events.get("acme-intruder", "key_nope"), null), 404, "key_not_found");
        assertProblem(api.delete.handleRequest(Events.delete("acme-intruder", theirs), null), 404, "key_not_found");
        assertEquals(200, api.get.handleRequest(Events.get("acme-owner", theirs), null).getStatusCode(),
                "a refused delete from another account leaves the key alone");
    }

    @Test
    void everyHandler_shouldAnswer405_forAMethodItDoesNotServe() {
        APIGatewayProxyRequestEvent put = Events.createNamed("acme-method", "x").withHttpMethod("PUT");

        APIGatewayProxyResponseEvent response = api.create(put);

        assertProblem(response, 405, "method_not_allowed");
        assertEquals("POST", response.getHeaders().get("Allow"));
        assertEquals("GET", api.get.handleRequest(Events.get("acme-method", "key_x").withHttpMethod("PATCH"), null)
                .getHeaders().get("Allow"));
        assertEquals("DELETE", api.delete.handleRequest(Events.delete("acme-method", "key_x").withHttpMethod("GET"), null)
                .getHeaders().get("Allow"));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({"limit=0,invalid_limit", "limit=101,invalid_limit",
            "limit=ten,invalid_limit", "cursor=bm90LW91cnM,invalid_cursor"})
    void list_shouldAnswer400_forBadLimitsAndCursors(String query, String code) {
        String[] parts = query.split("=", 2);

        assertProblem(api.list.handleRequest(Events.list("acme-list", Map.of(parts[0], parts[1])), null), 400, code);
    }

    static void assertProblem(APIGatewayProxyResponseEvent response, int status, String code) {
        String body = response.getBody();
        assertEquals(status, response.getStatusCode(), body);
        assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
        Map<String, Object> problem = Api.json(response);
        assertEquals(code, problem.get("code"), body);
        assertEquals(status, ((Number) problem.get("status")).intValue());
        assertEquals("about:blank", problem.get("type"));
        assertNotNull(problem.get("title"));
        assertTrue(problem.get("detail") instanceof String detail && !detail.isBlank(), body);
        assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains(dev.keyward.core.Credentials.SECRET_PREFIX), body);
    }

    private int countKeys(String accountId) {
        return KeyLifecycleIT.keys(api.list.handleRequest(Events.list(accountId, Map.of()), null)).size();
    }
}
