package dev.keyward.it;

import static dev.keyward.it.Events.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.keyward.core.TestClock;
import dev.keyward.http.Authorizers;
import dev.keyward.it.AwsEnvironment.Aws;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Keys that expire and carry scopes, through the real handlers and the authorizer over the SDK
 * against the emulator: what the admin API answers, what DynamoDB holds, and the policy the
 * authorizer returns, resource by resource.
 */
@ExtendWith(AwsEnvironment.class)
class ExpiryAndScopesIT {
    private static final String API = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/";
    private static final String ROUTES_JSON = """
            {"*": ["GET /whoami"],
             "orders:read": ["GET /accounts/{accountId}/orders", "GET /accounts/{accountId}/orders/*"],
             "orders:write": ["POST /accounts/{accountId}/orders"]}""";

    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00.250Z"));
    private Aws aws;
    private Api api;
    private RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer;

    @BeforeEach
    void setUp(Aws aws) {
        this.aws = aws;
        api = new Api(aws.service(clock));
        authorizer = aws.authorizer(clock, ROUTES_JSON);
    }

    private IamPolicyResponseV1 authorize(Map<String, Object> key, String methodArn) {
        APIGatewayCustomAuthorizerEvent event = Events.authorize(basic((String) key.get("clientId"), (String) key.get("clientSecret")));
        event.setMethodArn(methodArn);
        return authorizer.handleRequest(event, null);
    }

    /** Whether API Gateway would let this request through: the policy evaluated as IAM does, wildcards and all. */
    private boolean allowed(Map<String, Object> key, String method, String path) {
        String methodArn = API + method + path;
        boolean allow = false;
        IamPolicyResponseV1 policy;
        try {
            policy = authorize(key, methodArn);
        } catch (Authorizers.AuthorizerFailure e) {
            assertEquals("Unauthorized", e.getMessage());
            return false;
        }
        for (Map<?, ?> statement : statements(policy)) {
            assertEquals("execute-api:Invoke", statement.get("Action"));
            boolean covers = false;
            for (Object resource : (Object[]) statement.get("Resource")) {
                covers |= glob((String) resource).matcher(methodArn).matches();
            }
            if (covers && "Deny".equals(statement.get("Effect"))) {
                return false;
            }
            allow |= covers && "Allow".equals(statement.get("Effect"));
        }
        return allow;
    }

    private static Pattern glob(String resource) {
        return Pattern.compile(Pattern.quote(resource).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"));
    }

    private static List<Map<?, ?>> statements(IamPolicyResponseV1 response) {
        return List.of((Map<?, ?>[]) response.getPolicyDocument().get("Statement"));
    }

    private static List<Object> resources(IamPolicyResponseV1 response) {
        List<Object> resources = new ArrayList<>();
        for (Map<?, ?> statement : statements(response)) {
            resources.addAll(List.of((Object[]) statement.get("Resource")));
        }
        return resources;
    }

    private Map<String, Object> create(String accountId, String body) {
        APIGatewayProxyResponseEvent response = api.create(Events.create(accountId, body));
        assertEquals(201, response.getStatusCode(), response.getBody());
        return Api.json(response);
    }

    private APIGatewayProxyResponseEvent patch(String accountId, Object keyId, String body) {
        return api.rename.handleRequest(Events.rename(accountId, (String) keyId, body), null);
    }

    private Map<String, AttributeValue> item(String pk, String sk) {
        return aws.clients().dynamoDb().getItem(g -> g.tableName(aws.settings().tableName()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
    }

    @Test
    void aKeyWithOrdersRead_shouldBeAllowedItsOwnOrdersOnly_andThePolicyShouldNameExactlyThoseRoutes() {
        Map<String, Object> key = create("acme-orders", "{\"name\":\"3PL\",\"scopes\":[\"orders:read\"]}");
        create("globex-orders", "{\"name\":\"Theirs\",\"scopes\":[\"orders:read\"]}");

        IamPolicyResponseV1 policy = authorize(key, API + "GET/accounts/acme-orders/orders");

        // THEN one Allow, resource by resource: the key's scope's routes and the open ones, in its account
        assertEquals(key.get("id"), policy.getPrincipalId());
        List<Map<?, ?>> statements = statements(policy);
        assertEquals(1, statements.size());
        assertEquals("Allow", statements.get(0).get("Effect"));
        assertEquals(List.of(
                API + "GET/whoami",
                API + "GET/accounts/acme-orders/orders",
                API + "GET/accounts/acme-orders/orders/*"), resources(policy));
        assertEquals(Map.of("accountId", "acme-orders", "keyId", key.get("id"), "scopes", "orders:read"), policy.getContext());

        assertTrue(allowed(key, "GET", "/accounts/acme-orders/orders"));
        assertTrue(allowed(key, "GET", "/accounts/acme-orders/orders/ord_42"));
        assertTrue(allowed(key, "GET", "/whoami"));
        assertFalse(allowed(key, "GET", "/accounts/globex-orders/orders"), "account B's identical route");
        assertFalse(allowed(key, "GET", "/accounts/globex-orders/orders/ord_42"), "account B's identical route");
        assertFalse(allowed(key, "GET", "/accounts/acme-orders-2/orders"), "an account whose id starts alike");
        assertFalse(allowed(key, "POST", "/accounts/acme-orders/orders"), "a route needing orders:write");
        assertFalse(allowed(key, "GET", "/accounts/acme-orders/invoices"), "a route no scope names");
        assertFalse(allowed(key, "DELETE", "/accounts/acme-orders/keys/x"), "an admin route");
        for (Object resource : resources(policy)) {
            assertFalse(((String) resource).contains("globex"), "never another account: " + resource);
            assertTrue(((String) resource).startsWith(API), "this API and stage only: " + resource);
            assertFalse(((String) resource).endsWith("/*/*") || resource.equals("*"), "never *-wide: " + resource);
        }
    }

    @Test
    void aKeyWithoutScopes_shouldGetOnlyTheRoutesOpenToEveryKey() {
        Map<String, Object> key = create("acme-plain", "{\"name\":\"Plain\"}");

        assertEquals(List.of(API + "GET/whoami"), resources(authorize(key, API + "GET/accounts/acme-plain/orders")));
        assertFalse(allowed(key, "GET", "/accounts/acme-plain/orders"));
        assertTrue(allowed(key, "GET", "/whoami"));
    }

    @Test
    void thePolicy_shouldFollowTheRequestsApiAndStage() {
        Map<String, Object> key = create("acme-stage", "{\"name\":\"x\",\"scopes\":[\"orders:write\"]}");

        assertEquals(List.of("arn:aws:execute-api:us-east-1:999999999999:zz9/staging/GET/whoami",
                        "arn:aws:execute-api:us-east-1:999999999999:zz9/staging/POST/accounts/acme-stage/orders"),
                resources(authorize(key, "arn:aws:execute-api:us-east-1:999999999999:zz9/staging/GET/whoami")));
    }

    @Test
    void expiry_shouldBeAcceptedOneSecondBefore_andRefusedAtAndAfter_byTheAuthorizersClock() {
        Map<String, Object> key = create("acme-expiry", "{\"name\":\"x\",\"expiresAt\":\"2026-11-27T11:00:00Z\"}");
        assertEquals("2026-11-27T11:00:00.000Z", key.get("expiresAt"));
        assertEquals("active", key.get("status"));

        clock.advance(Duration.between(clock.instant(), Instant.parse("2026-11-27T10:59:59Z")));
        assertTrue(allowed(key, "GET", "/whoami"), "one second before");

        clock.advance(Duration.ofSeconds(1));
        Authorizers.AuthorizerFailure atExpiry = assertThrows(Authorizers.AuthorizerFailure.class,
                () -> authorize(key, API + "GET/whoami"));
        assertEquals("Unauthorized", atExpiry.getMessage(), "at the expiry: API Gateway's 401");
        clock.advance(Duration.ofMillis(999));
        assertFalse(allowed(key, "GET", "/whoami"), "within its second");
        clock.advance(Duration.ofDays(400));
        assertFalse(allowed(key, "GET", "/whoami"), "long after");

        Map<String, Object> listed = KeyLifecycleIT.keys(api.list.handleRequest(Events.list("acme-expiry", Map.of()), null)).get(0);
        assertEquals("expired", listed.get("status"));
        assertEquals("2026-11-27T11:00:00.000Z", listed.get("expiresAt"));
        assertEquals("expired", Api.json(api.get.handleRequest(Events.get("acme-expiry", (String) key.get("id")), null)).get("status"));
    }

    @Test
    void patch_shouldExtendShortenAndRemoveTheExpiry_onTheKeyAndItsClientItem() {
        Map<String, Object> key = create("acme-patch", "{\"name\":\"x\",\"expiresAt\":\"2026-11-27T11:00:00Z\"}");
        String keyId = (String) key.get("id");
        String clientPk = "CLIENT#" + key.get("clientId");

        APIGatewayProxyResponseEvent extended = patch("acme-patch", keyId, "{\"expiresAt\":\"2026-12-27T11:00:00Z\"}");
        assertEquals(200, extended.getStatusCode(), extended.getBody());
        assertEquals("2026-12-27T11:00:00.000Z", Api.json(extended).get("expiresAt"));
        assertEquals("x", Api.json(extended).get("name"));
        clock.advance(Duration.ofHours(2));
        assertTrue(allowed(key, "GET", "/whoami"), "past the first expiry");

        APIGatewayProxyResponseEvent shortened = patch("acme-patch", keyId, "{\"expiresAt\":\"2026-11-27T12:30:00Z\"}");
        assertEquals("2026-11-27T12:30:00.000Z", Api.json(shortened).get("expiresAt"));
        assertEquals(String.valueOf(Instant.parse("2026-11-27T12:30:00Z").getEpochSecond()), item(clientPk, "CLIENT").get("keyExpiresAt").n());
        clock.advance(Duration.ofMinutes(30));
        assertFalse(allowed(key, "GET", "/whoami"), "shortened to 12:30");

        APIGatewayProxyResponseEvent never = patch("acme-patch", keyId, "{\"expiresAt\":null}");
        assertEquals(200, never.getStatusCode(), never.getBody());
        assertTrue(Api.json(never).containsKey("expiresAt"));
        assertNull(Api.json(never).get("expiresAt"));
        assertEquals("active", Api.json(never).get("status"));
        assertTrue(allowed(key, "GET", "/whoami"), "null: never expires");
        assertFalse(item(clientPk, "CLIENT").containsKey("keyExpiresAt"));
        assertFalse(item("ACCOUNT#acme-patch", "KEY#" + keyId).containsKey("expiring"), "out of the expiring index");
    }

    @Test
    void theExpiry_shouldNeverBeStoredInTheTablesTtlAttribute() {
        Map<String, Object> key = create("acme-ttl", "{\"name\":\"x\",\"expiresAt\":\"2026-11-28T00:00:00Z\"}");

        Map<String, AttributeValue> client = item("CLIENT#" + key.get("clientId"), "CLIENT");
        Map<String, AttributeValue> keyItem = item("ACCOUNT#acme-ttl", "KEY#" + key.get("id"));
        // DynamoDB TTL deletes by expiresAt, days late and item by item: the key would lose its client
        assertFalse(client.containsKey("expiresAt"));
        assertFalse(keyItem.containsKey("expiresAt"));
        String epochSeconds = Long.toString(Instant.parse("2026-11-28T00:00:00Z").getEpochSecond());
        assertEquals(epochSeconds, client.get("keyExpiresAt").n());
        assertEquals(epochSeconds, keyItem.get("keyExpiresAt").n());
        assertEquals("KEY", keyItem.get("expiring").s());
    }

    @Test
    void patch_shouldReplaceTheScopes_andTheNextCheckShouldFollow() {
        Map<String, Object> key = create("acme-scopes", "{\"name\":\"x\",\"scopes\":[\"orders:read\"]}");
        assertTrue(allowed(key, "GET", "/accounts/acme-scopes/orders"));

        APIGatewayProxyResponseEvent changed = patch("acme-scopes", key.get("id"), "{\"scopes\":[\"orders:write\",\"orders:write\"]}");

        assertEquals(200, changed.getStatusCode(), changed.getBody());
        assertEquals(List.of("orders:write"), Api.json(changed).get("scopes"));
        assertFalse(allowed(key, "GET", "/accounts/acme-scopes/orders"));
        assertTrue(allowed(key, "POST", "/accounts/acme-scopes/orders"));
        assertEquals(List.of("orders:write"), KeyLifecycleIT.keys(api.list.handleRequest(Events.list("acme-scopes", Map.of()), null))
                .get(0).get("scopes"));

        assertEquals(200, patch("acme-scopes", key.get("id"), "{\"scopes\":[]}").getStatusCode());
        assertFalse(allowed(key, "POST", "/accounts/acme-scopes/orders"));
        assertFalse(item("CLIENT#" + key.get("clientId"), "CLIENT").containsKey("scopes"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\":\"x\",\"expiresAt\":\"2026-11-27T09:00:00Z\"}",
            "{\"name\":\"x\",\"expiresAt\":\"2026-11-27T10:00:30Z\"}",
            "{\"name\":\"x\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}",
            "{\"name\":\"x\",\"expiresAt\":\"2026-12-01T00:00:00+02:00\"}",
            "{\"name\":\"x\",\"expiresAt\":\"next week\"}",
            "{\"name\":\"x\",\"expiresAt\":1795000000}",
            "{\"name\":\"x\",\"scopes\":\"orders:read\"}",
            "{\"name\":\"x\",\"scopes\":null}",
            "{\"name\":\"x\",\"scopes\":[\"Orders:Read\"]}",
            "{\"name\":\"x\",\"scopes\":[\"orders:read\",42]}"})
    void badExpiriesAndScopes_shouldBe400ProblemJson_onCreateAndPatch(String body) {
        String code = body.contains("expiresAt") ? "invalid_expires_at" : "invalid_scopes";
        APIGatewayProxyResponseEvent created = api.create(Events.create("acme-bad", body));
        assertProblem(created, code);

        Map<String, Object> key = create("acme-bad", "{\"name\":\"x\",\"scopes\":[\"a\"]}");
        assertProblem(patch("acme-bad", key.get("id"), body.replace("\"name\":\"x\",", "")), code);
        Map<String, Object> after = Api.json(api.get.handleRequest(Events.get("acme-bad", (String) key.get("id")), null));
        assertEquals(List.of("a"), after.get("scopes"), "a refused PATCH changes nothing");
        assertNull(after.get("expiresAt"));
    }

    private static void assertProblem(APIGatewayProxyResponseEvent response, String code) {
        assertEquals(400, response.getStatusCode(), response.getBody());
        assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
        assertEquals(code, Api.json(response).get("code"), response.getBody());
    }

    /** The story an integration lives through: scoped and expiring, its scopes changed, then expired. */
    @Test
    void story_createScopedAndExpiring_call_patchScopes_call_passTheExpiry_call() {
        // an admin creates a key for the 3PL that may read orders until the end of the day
        Map<String, Object> key = create("acme-story",
                "{\"name\":\"3PL Integration\",\"scopes\":[\"orders:read\"],\"expiresAt\":\"2026-11-27T23:59:59Z\"}");
        assertEquals(List.of("orders:read"), key.get("scopes"));
        assertEquals("active", key.get("status"));

        // the 3PL reads orders, but may not write them
        assertTrue(allowed(key, "GET", "/accounts/acme-story/orders/ord_1"));
        assertFalse(allowed(key, "POST", "/accounts/acme-story/orders"));

        // the admin lets it write instead of read
        assertEquals(200, patch("acme-story", key.get("id"), "{\"scopes\":[\"orders:write\"]}").getStatusCode());
        assertTrue(allowed(key, "POST", "/accounts/acme-story/orders"));
        assertFalse(allowed(key, "GET", "/accounts/acme-story/orders/ord_1"));

        // the day ends: every route is refused, and the console shows the key as expired
        clock.advance(Duration.between(clock.instant(), Instant.parse("2026-11-27T23:59:59Z")));
        assertFalse(allowed(key, "POST", "/accounts/acme-story/orders"));
        assertFalse(allowed(key, "GET", "/whoami"));
        assertEquals("expired", KeyLifecycleIT.keys(api.list.handleRequest(Events.list("acme-story", Map.of()), null))
                .get(0).get("status"));
        List<Object> actions = new ArrayList<>();
        for (Object event : (List<?>) Api.json(api.audit.handleRequest(Events.audit("acme-story", Map.of()), null)).get("events")) {
            actions.add(((Map<?, ?>) event).get("action"));
        }
        assertEquals(List.of("key.updated", "key.created"), actions);
    }
}
