package dev.keyward.it;

import static dev.keyward.it.Events.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.keyward.core.Credentials;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.TestClock;
import dev.keyward.handler.AuthorizerHandler;
import dev.keyward.handler.GetKeyUsageHandler;
import dev.keyward.http.Authorizers.AuthorizerFailure;
import dev.keyward.invoke.StreamHandlers;
import dev.keyward.it.AwsEnvironment.Aws;
import dev.keyward.runtime.Keyward;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Why a check was denied: each reason counted exactly, per day, through the real authorizer handler
 * and the usage route, against the emulator, and the latest denials with their time, route and
 * address. Each test makes its own number of denials of one reason (and a few of no other), so a
 * count that leaked into another reason, or was counted twice, shows.
 */
@ExtendWith(AwsEnvironment.class)
class DenialReasonsIT {
    private static final List<String> REASONS = List.of("wrong_secret", "expired", "disabled", "ip_not_allowed",
            "scope_missing");
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00.250Z"));
    private Aws aws;
    private Api api;
    private KeyVerifier verifier;
    private RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer;
    private Api.Handler usage;

    @BeforeEach
    void setUp(Aws aws) {
        this.aws = aws;
        api = new Api(aws.service(clock));
        verifier = Keyward.verifier(aws.settings(), aws.clients(), clock);
        // deployed, the usage is written by a background thread at most once a minute; here, at flushUsage
        authorizer = StreamHandlers.authorizer(new AuthorizerHandler(verifier));
        usage = StreamHandlers.proxy(new GetKeyUsageHandler(Keyward.keyUsage(aws.settings(), aws.clients(), clock)))::handleRequest;
    }

    /** One check of {@code method path} from {@code sourceIp}: Allow, Deny or Unauthorized. */
    private String check(String clientId, String secret, String sourceIp, String path) {
        try {
            IamPolicyResponseV1 policy = authorizer.handleRequest(Events.authorize(basic(clientId, secret), sourceIp,
                    "GET", path), null);
            Map<?, ?>[] statements = (Map<?, ?>[]) policy.getPolicyDocument().get("Statement");
            String effect = (String) statements[0].get("Effect");
            Object[] resources = (Object[]) statements[0].get("Resource");
            String arn = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET" + path;
            return effect.equals("Allow") && !List.of(resources).contains(arn) ? "Allow, not this route" : effect;
        } catch (AuthorizerFailure e) {
            return e.getMessage();
        }
    }

    private String check(Map<String, Object> key, String sourceIp, String path) {
        return check((String) key.get("clientId"), (String) key.get("clientSecret"), sourceIp, path);
    }

    private void patch(String accountId, Map<String, Object> key, String body) {
        APIGatewayProxyResponseEvent response = api.rename.handleRequest(Events.rename(accountId, (String) key.get("id"), body), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
    }

    private Map<String, Object> usage(String accountId, Map<String, Object> key) {
        verifier.flushUsage(); // what the sandbox writes at its next minute, or when it stops
        APIGatewayProxyResponseEvent response = usage.handleRequest(Events.usage(accountId, (String) key.get("id"), "1"), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        return Api.json(response);
    }

    /** Today's denials per reason, every reason named. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> deniedBy(Map<String, Object> usage) {
        List<Map<String, Object>> days = (List<Map<String, Object>>) usage.get("days");
        return (Map<String, Object>) days.get(days.size() - 1).get("deniedBy");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> today(Map<String, Object> usage) {
        List<Map<String, Object>> days = (List<Map<String, Object>>) usage.get("days");
        return days.get(days.size() - 1);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> recent(Map<String, Object> usage) {
        return (List<Map<String, Object>>) usage.get("recentDenials");
    }

    /** Every reason at 0 but {@code reason} at {@code count}. */
    private static Map<String, Object> only(String reason, int count) {
        Map<String, Object> expected = new LinkedHashMap<>();
        REASONS.forEach(r -> expected.put(r, r.equals(reason) ? count : 0));
        return expected;
    }

    @Test
    void wrongSecret_shouldBeCountedExactly() {
        Map<String, Object> key = api.createKey("acme-why", "Warehouse Dashboard");
        for (int i = 0; i < 3; i++) {
            assertEquals("Unauthorized", check((String) key.get("clientId"), Credentials.newClientSecret(), "203.0.113.20", "/whoami"));
        }
        assertEquals("Allow", check(key, "203.0.113.20", "/whoami"));

        Map<String, Object> answer = usage("acme-why", key);

        assertEquals(only("wrong_secret", 3), deniedBy(answer));
        assertEquals(3, today(answer).get("denied"));
        assertEquals(1, today(answer).get("allowed"));
        assertEquals(Map.of("at", "2026-11-27T10:00:00.250Z", "reason", "wrong_secret", "route", "GET /whoami",
                "sourceIp", "203.0.113.20"), recent(answer).get(0));
        assertFalse(answer.toString().contains((String) key.get("clientId")), "never a credential");
        assertFalse(answer.toString().contains("10.0.0.1"), "the address API Gateway saw, not X-Forwarded-For");
    }

    @Test
    void expired_shouldBeCountedExactly() {
        APIGatewayProxyResponseEvent created = api.create(Events.create("acme-why-expired",
                "{\"name\": \"Expiring\", \"expiresAt\": \"2026-11-27T10:05:00Z\"}"));
        Map<String, Object> key = Api.json(created);
        assertEquals("Allow", check(key, "203.0.113.20", "/whoami"));
        clock.advance(Duration.ofMinutes(5));
        for (int i = 0; i < 4; i++) {
            assertEquals("Unauthorized", check(key, "203.0.113.20", "/whoami"));
        }

        Map<String, Object> answer = usage("acme-why-expired", key);

        assertEquals(only("expired", 4), deniedBy(answer));
        assertEquals(4, recent(answer).size());
        assertTrue(recent(answer).stream().allMatch(d -> d.get("reason").equals("expired")));
    }

    @Test
    void disabled_shouldBeCountedExactly() {
        Map<String, Object> key = api.createKey("acme-why-disabled", "Warehouse Dashboard");
        patch("acme-why-disabled", key, "{\"enabled\": false}");
        for (int i = 0; i < 5; i++) {
            assertEquals("Unauthorized", check(key, "203.0.113.20", "/whoami"));
        }
        patch("acme-why-disabled", key, "{\"enabled\": true}");
        assertEquals("Allow", check(key, "203.0.113.20", "/whoami"));

        Map<String, Object> answer = usage("acme-why-disabled", key);

        assertEquals(only("disabled", 5), deniedBy(answer));
        assertEquals(1, today(answer).get("allowed"));
    }

    @Test
    void ipNotAllowed_shouldBeCountedExactly_withTheAddressEachCameFrom() {
        Map<String, Object> key = api.createKey("acme-why-ip", "Warehouse Dashboard");
        patch("acme-why-ip", key, "{\"allowedCidrs\": [\"10.0.0.0/8\", \"2001:db8::/32\"]}");
        assertEquals("Deny", check(key, "127.0.0.1", "/whoami"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals("Deny", check(key, "2001:db9::1", "/whoami"));
        assertEquals("Allow", check(key, "10.9.8.7", "/whoami"));
        assertEquals("Allow", check(key, "2001:db8::7", "/whoami"));

        Map<String, Object> answer = usage("acme-why-ip", key);

        assertEquals(only("ip_not_allowed", 2), deniedBy(answer));
        assertEquals(List.of("2001:db9::1", "127.0.0.1"), recent(answer).stream().map(d -> d.get("sourceIp")).toList(),
                "newest first");
        assertEquals(2, today(answer).get("allowed"));
    }

    @Test
    void scopeMissing_shouldBeCountedExactly_withTheRouteCalled() {
        Map<String, Object> key = api.createKey("acme-why-scope", "Warehouse Dashboard");
        for (int i = 0; i < 6; i++) {
            assertEquals("Allow, not this route", check(key, "203.0.113.20", "/accounts/acme-why-scope/whoami"),
                    "an Allow of /whoami alone: API Gateway answers 403 for this route");
        }
        assertEquals("Allow", check(key, "203.0.113.20", "/whoami"));
        patch("acme-why-scope", key, "{\"scopes\": [\"whoami:read\"]}");
        assertEquals("Allow", check(key, "203.0.113.20", "/accounts/acme-why-scope/whoami"));

        Map<String, Object> answer = usage("acme-why-scope", key);

        assertEquals(only("scope_missing", 6), deniedBy(answer));
        assertEquals("GET /accounts/acme-why-scope/whoami", recent(answer).get(0).get("route"));
        assertEquals(2, today(answer).get("allowed"));
    }

    @Test
    void theLatestDenials_shouldBeTheTwentyNewest_acrossWrites_andReasons() {
        Map<String, Object> key = api.createKey("acme-why-latest", "Warehouse Dashboard");
        patch("acme-why-latest", key, "{\"allowedCidrs\": [\"10.0.0.0/8\"]}");
        for (int i = 0; i < 30; i++) {
            // every 7th a wrong secret, the others from outside the network; a write every 10 checks
            if (i % 7 == 0) {
                check((String) key.get("clientId"), Credentials.newClientSecret(), "192.0.2." + i, "/whoami");
            } else {
                check(key, "192.0.2." + i, "/whoami");
            }
            clock.advance(Duration.ofSeconds(1));
            if (i % 10 == 9) {
                verifier.flushUsage();
            }
        }

        Map<String, Object> answer = usage("acme-why-latest", key);

        List<Map<String, Object>> latest = recent(answer);
        assertEquals(20, latest.size());
        assertEquals("192.0.2.29", latest.get(0).get("sourceIp"));
        assertEquals("192.0.2.10", latest.get(19).get("sourceIp"));
        assertEquals("wrong_secret", latest.get(1).get("reason"), "the 28th check");
        Map<String, Object> expected = only("ip_not_allowed", 25);
        expected.put("wrong_secret", 5);
        assertEquals(expected, deniedBy(answer));
        assertEquals(30, today(answer).get("denied"));

        clock.advance(Duration.ofDays(7));
        assertEquals(List.of(), recent(usage("acme-why-latest", key)), "kept 7 days");
    }

    @Test
    void aDeletedKeysChecks_shouldBeAttributedToNoKey() {
        Map<String, Object> key = api.createKey("acme-why-deleted", "Warehouse Dashboard");
        assertEquals(204, api.delete.handleRequest(Events.delete("acme-why-deleted", (String) key.get("id")), null)
                .getStatusCode());

        assertEquals("Unauthorized", check(key, "203.0.113.20", "/whoami"));
        verifier.flushUsage();

        assertEquals(404, usage.handleRequest(Events.usage("acme-why-deleted", (String) key.get("id"), "1"), null)
                .getStatusCode(), "the key is gone, and so is its usage route");
        assertTrue(aws.clients().dynamoDb().query(q -> q.tableName(aws.settings().tableName())
                        .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk",
                                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                        "USAGE#acme-why-deleted#" + key.get("id"))))).items().isEmpty(),
                "nothing was written for it");
    }
}
