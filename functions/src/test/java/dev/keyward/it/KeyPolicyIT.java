package dev.keyward.it;

import static dev.keyward.it.Events.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.TestClock;
import dev.keyward.http.Authorizers;
import dev.keyward.it.AwsEnvironment.Aws;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The account's key policy through the real handlers over the SDK against the emulator: the
 * settings route sets it, create and PATCH are refused with its codes and numbers, a key made
 * under it is accepted by the authorizer until its capped expiry, and a key made before keeps
 * what it had.
 */
@ExtendWith(AwsEnvironment.class)
class KeyPolicyIT {
    private static final String CAP = "2027-02-25T10:00:00Z"; // 90 days after the clock's now
    private static final String PAST_CAP = "2027-02-25T10:00:01Z";
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));
    private Aws aws;
    private Api api;
    private RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer;

    @BeforeEach
    void setUp(Aws aws) {
        this.aws = aws;
        api = new Api(aws.service(clock));
        authorizer = aws.authorizer(clock, "{\"*\": [\"GET /whoami\"]}");
    }

    private APIGatewayProxyResponseEvent settings(String accountId, String body) {
        return api.updateSettings.handleRequest(Events.updateSettings(accountId, body), null);
    }

    private APIGatewayProxyResponseEvent create(String accountId, String members) {
        return api.create(Events.create(accountId, "{\"name\":\"Warehouse Dashboard\"" + members + "}"));
    }

    private APIGatewayProxyResponseEvent patch(String accountId, String keyId, String body) {
        return api.rename.handleRequest(Events.rename(accountId, keyId, body), null);
    }

    /** Asserts a problem with this code, 409 for the policy's refusals and 400 for a malformed setting, and answers its detail. */
    private static String refused(String code, APIGatewayProxyResponseEvent response) {
        assertEquals(code.startsWith("invalid_") ? 400 : 409, response.getStatusCode(), response.getBody());
        assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
        Map<String, Object> problem = Api.json(response);
        assertEquals(code, problem.get("code"), response.getBody());
        return (String) problem.get("detail");
    }

    private static Map<String, Object> ok(int status, APIGatewayProxyResponseEvent response) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        return Api.json(response);
    }

    private boolean authorized(Map<String, Object> key) {
        APIGatewayCustomAuthorizerEvent event = Events.authorize(basic((String) key.get("clientId"), (String) key.get("clientSecret")));
        event.setMethodArn("arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/GET/whoami");
        try {
            Map<?, ?>[] statements = (Map<?, ?>[]) authorizer.handleRequest(event, null).getPolicyDocument().get("Statement");
            return List.of(statements).stream().anyMatch(statement -> "Allow".equals(statement.get("Effect")));
        } catch (Authorizers.AuthorizerFailure e) {
            return false;
        }
    }

    private static Map<String, Object> settingsOf(Object retention, Object lifetime, boolean requireScopes) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("expiredKeyRetentionDays", retention);
        settings.put("maxKeyLifetimeDays", lifetime);
        settings.put("requireScopes", requireScopes);
        return settings;
    }

    @Test
    void create_shouldBeRefusedWithoutAnExpiry_beyondTheCap_orWithoutScopes_andMadeAtTheCap() {
        assertEquals(settingsOf(null, null, false), ok(200, api.getSettings.handleRequest(Events.getSettings("policy-c"), null)));

        Map<String, Object> set = ok(200, settings("policy-c", "{\"maxKeyLifetimeDays\":90,\"requireScopes\":true}"));
        assertEquals(settingsOf(null, 90, true), set);
        assertEquals(set, ok(200, api.getSettings.handleRequest(Events.getSettings("policy-c"), null)));
        Map<String, AttributeValue> item = settingsItem("policy-c");
        assertEquals("90", item.get("maxKeyLifetimeDays").n());
        assertEquals(Boolean.TRUE, item.get("requireScopes").bool());

        String required = refused("expiry_required", create("policy-c", ",\"scopes\":[\"orders:read\"]"));
        assertTrue(required.contains("90 days") && required.contains(CAP), required);
        String beyond = refused("expiry_beyond_policy", create("policy-c", ",\"expiresAt\":\"" + PAST_CAP + "\",\"scopes\":[\"orders:read\"]"));
        assertTrue(beyond.contains("90 days") && beyond.contains(CAP), beyond);
        refused("scopes_required", create("policy-c", ",\"expiresAt\":\"" + CAP + "\""));
        refused("scopes_required", create("policy-c", ",\"expiresAt\":\"" + CAP + "\",\"scopes\":[]"));
        assertEquals(List.of(), ok(200, api.list.handleRequest(Events.list("policy-c", Map.of()), null)).get("keys"),
                "a refused create makes nothing");

        Map<String, Object> key = ok(201, create("policy-c", ",\"expiresAt\":\"" + CAP + "\",\"scopes\":[\"orders:read\"]"));
        assertEquals(CAP.replace("Z", ".000Z"), key.get("expiresAt"));
        Invariants.assertHold(aws, "policy-c");

        clock.advance(Duration.ofDays(90).minusSeconds(1));
        assertTrue(authorized(key), "the authorizer accepts it until the capped expiry");
        clock.advance(Duration.ofSeconds(1));
        assertFalse(authorized(key), "and refuses it from then on");
    }

    @Test
    void patch_shouldHoldANewExpiryOrNewScopesToThePolicy_whileAKeyMadeBeforeKeepsWhatItHad() {
        Map<String, Object> before = ok(201, create("policy-p", ""));
        String keyId = (String) before.get("id");
        ok(200, settings("policy-p", "{\"maxKeyLifetimeDays\":90,\"requireScopes\":true}"));

        assertEquals("Renamed", ok(200, patch("policy-p", keyId, "{\"name\":\"Renamed\"}")).get("name"));
        Map<String, Object> scoped = ok(200, patch("policy-p", keyId, "{\"scopes\":[\"orders:read\"]}"));
        assertNull(scoped.get("expiresAt"), "its scopes changed, its expiry as it was");

        refused("expiry_required", patch("policy-p", keyId, "{\"expiresAt\":null}"));
        refused("expiry_beyond_policy", patch("policy-p", keyId, "{\"expiresAt\":\"" + PAST_CAP + "\"}"));
        refused("scopes_required", patch("policy-p", keyId, "{\"scopes\":[],\"name\":\"Unscoped\"}"));
        Map<String, Object> unchanged = ok(200, api.get.handleRequest(Events.get("policy-p", keyId), null));
        assertEquals("Renamed", unchanged.get("name"));
        assertNull(unchanged.get("expiresAt"));
        assertEquals(List.of("orders:read"), unchanged.get("scopes"));

        assertEquals(CAP.replace("Z", ".000Z"), ok(200, patch("policy-p", keyId, "{\"expiresAt\":\"" + CAP + "\"}")).get("expiresAt"));
        Map<String, Object> rotated = api.rotateKey("policy-p", keyId, 0);
        assertEquals(CAP.replace("Z", ".000Z"), rotated.get("expiresAt"), "a rotation keeps the expiry");

        ok(200, settings("policy-p", "{\"maxKeyLifetimeDays\":null,\"requireScopes\":false}"));
        Map<String, Object> free = ok(200, patch("policy-p", keyId, "{\"expiresAt\":null,\"scopes\":[]}"));
        assertNull(free.get("expiresAt"));
        assertEquals(List.of(), free.get("scopes"));
    }

    @Test
    void createWithIdempotencyKey_shouldAnswerTheRefusalAgain_untilThePolicyAllowsIt_andReplayAnAnswerGivenBefore() {
        APIGatewayProxyRequestEvent first = Events.withHeader(Events.createNamed("policy-i", "Warehouse Dashboard"),
                "Idempotency-Key", "order-1");
        Map<String, Object> made = ok(201, api.create(first));
        ok(200, settings("policy-i", "{\"maxKeyLifetimeDays\":30}"));
        assertEquals(made, ok(201, api.create(Events.withHeader(Events.createNamed("policy-i", "Warehouse Dashboard"),
                "Idempotency-Key", "order-1"))), "answered before the policy: replayed, not refused");

        String detail = refused("expiry_required", api.create(Events.withHeader(
                Events.createNamed("policy-i", "Warehouse Dashboard"), "Idempotency-Key", "order-2")));
        assertEquals(detail, refused("expiry_required", api.create(Events.withHeader(
                Events.createNamed("policy-i", "Warehouse Dashboard"), "Idempotency-Key", "order-2"))));

        ok(200, settings("policy-i", "{\"maxKeyLifetimeDays\":null}"));
        Map<String, Object> later = ok(201, api.create(Events.withHeader(
                Events.createNamed("policy-i", "Warehouse Dashboard"), "Idempotency-Key", "order-2")));
        assertNull(later.get("expiresAt"));
        assertEquals(2, ((List<?>) ok(200, api.list.handleRequest(Events.list("policy-i", Map.of()), null)).get("keys")).size());
        Invariants.assertHold(aws, "policy-i");
    }

    @Test
    void settings_shouldRefuseWhatIsNoPolicy_andRecordEachChangeAsASettingsEventByTheAdmin() throws IOException {
        refused("invalid_settings", settings("policy-s", "{}"));
        for (String bad : List.of("0", "3651", "\"30\"", "1.5", "true")) {
            refused("invalid_key_lifetime_days", settings("policy-s", "{\"maxKeyLifetimeDays\":" + bad + "}"));
        }
        for (String bad : List.of("\"true\"", "null", "1")) {
            refused("invalid_require_scopes", settings("policy-s", "{\"requireScopes\":" + bad + "}"));
        }
        assertEquals("unknown_field", Api.json(settings("policy-s", "{\"maxKeyLifetime\":30}")).get("code"));
        assertEquals(settingsOf(null, null, false), ok(200, api.getSettings.handleRequest(Events.getSettings("policy-s"), null)));

        assertEquals(settingsOf(7, 3650, false), ok(200, settings("policy-s", "{\"expiredKeyRetentionDays\":7,\"maxKeyLifetimeDays\":3650}")));
        assertEquals(settingsOf(7, 1, true), ok(200, settings("policy-s", "{\"maxKeyLifetimeDays\":1,\"requireScopes\":true}")));
        assertEquals(settingsOf(7, null, false), ok(200, settings("policy-s", "{\"maxKeyLifetimeDays\":null,\"requireScopes\":false}")));
        Map<String, AttributeValue> item = settingsItem("policy-s");
        assertFalse(item.containsKey("maxKeyLifetimeDays") || item.containsKey("requireScopes"), item.toString());

        List<Map<String, Object>> events = settingsEvents("policy-s");
        assertEquals(List.of(List.of("expiredKeyRetentionDays", "maxKeyLifetimeDays"), List.of("maxKeyLifetimeDays", "requireScopes"),
                List.of("maxKeyLifetimeDays", "requireScopes")), events.stream().map(e -> ((Map<?, ?>) e.get("data")).get("changed")).toList());
        for (Map<String, Object> event : events) {
            assertEquals("settings.updated", event.get("type"));
            assertEquals(Map.of("type", "admin", "id", "arn:aws:sts::123456789012:assumed-role/KeywardAdmin/admin"), event.get("actor"));
        }
    }

    private Map<String, AttributeValue> settingsItem(String accountId) {
        return aws.clients().dynamoDb().getItem(g -> g.tableName(aws.settings().tableName()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("ACCOUNT#" + accountId), "sk", AttributeValue.fromS("SETTINGS")))).item();
    }

    /** The settings.updated events written in the account's audit partition, oldest first. */
    private List<Map<String, Object>> settingsEvents(String accountId) throws IOException {
        List<Map<String, Object>> events = new java.util.ArrayList<>();
        for (Map<String, AttributeValue> item : aws.clients().dynamoDb().query(q -> q.tableName(aws.settings().tableName())
                .consistentRead(true).keyConditionExpression("pk = :pk AND begins_with(sk, :notice)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("AUDIT#" + accountId),
                        ":notice", AttributeValue.fromS("NOTICE#")))).items()) {
            events.add(JSON.std.mapFrom(item.get("event").s()));
        }
        return events;
    }
}
