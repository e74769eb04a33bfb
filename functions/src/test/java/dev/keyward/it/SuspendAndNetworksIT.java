package dev.keyward.it;

import static dev.keyward.it.Events.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.keyward.core.TestClock;
import dev.keyward.http.Authorizers.AuthorizerFailure;
import dev.keyward.it.AwsEnvironment.Aws;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Suspending a key and pinning it to networks, end to end: the admin routes write through the SDK to
 * the emulator, and the real authorizer handler reads what they wrote.
 */
@ExtendWith(AwsEnvironment.class)
class SuspendAndNetworksIT {
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00.250Z"));
    private Api api;
    private RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer;

    @BeforeEach
    void setUp(Aws aws) {
        api = new Api(aws.service(clock));
        authorizer = aws.authorizer(aws.clients(), clock);
    }

    /** Allow, Deny (API Gateway's 403) or Unauthorized (its 401) for GET /whoami from {@code sourceIp}. */
    private String outcome(Map<String, Object> key, String sourceIp) {
        try {
            IamPolicyResponseV1 policy = authorizer.handleRequest(Events.authorize(
                    basic((String) key.get("clientId"), (String) key.get("clientSecret")), sourceIp, "GET", "/whoami"), null);
            Map<?, ?>[] statements = (Map<?, ?>[]) policy.getPolicyDocument().get("Statement");
            return (String) statements[0].get("Effect");
        } catch (AuthorizerFailure e) {
            return e.getMessage();
        }
    }

    private Map<String, Object> patch(String accountId, Map<String, Object> key, String body) {
        APIGatewayProxyResponseEvent response = api.rename.handleRequest(Events.rename(accountId, (String) key.get("id"), body), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        return Api.json(response);
    }

    private Map<String, Object> get(String accountId, Map<String, Object> key) {
        return Api.json(api.get.handleRequest(Events.get(accountId, (String) key.get("id")), null));
    }

    @Test
    void aSuspendedKey_shouldBeRefusedOnTheNextRequest_andAcceptedAgainAfterResume() {
        Map<String, Object> key = api.createKey("acme-suspend", "Warehouse Dashboard");
        assertEquals(true, key.get("enabled"));
        assertEquals("active", key.get("status"));
        assertEquals("Allow", outcome(key, "203.0.113.20"));

        Map<String, Object> suspended = patch("acme-suspend", key, "{\"enabled\": false}");

        assertEquals(false, suspended.get("enabled"));
        assertEquals("disabled", suspended.get("status"));
        assertEquals("Unauthorized", outcome(key, "203.0.113.20"), "the very next request: 401");
        Map<String, Object> shown = get("acme-suspend", key);
        assertEquals(false, shown.get("enabled"));
        assertEquals("disabled", shown.get("status"));
        assertEquals(key.get("clientId"), shown.get("clientId"), "the Client ID stays");
        assertEquals(key.get("clientSecret"), shown.get("clientSecret"), "the secret stays");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed = (List<Map<String, Object>>) Api.json(api.list.handleRequest(
                Events.list("acme-suspend", Map.of()), null)).get("keys");
        assertEquals("disabled", listed.get(0).get("status"));
        assertEquals(false, listed.get(0).get("enabled"));

        Map<String, Object> resumed = patch("acme-suspend", key, "{\"enabled\": true}");

        assertEquals(true, resumed.get("enabled"));
        assertEquals("active", resumed.get("status"));
        assertEquals("Allow", outcome(key, "203.0.113.20"), "accepted again, with the same secret");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) Api.json(api.audit.handleRequest(
                Events.audit("acme-suspend", Map.of()), null)).get("events");
        assertEquals(List.of("key.enabled", "key.secret_viewed", "key.disabled", "key.created"),
                events.stream().map(e -> e.get("action")).toList());
    }

    @Test
    void aKeyPinnedToTenSlashEight_shouldBeRefusedFromLoopback_andAcceptedFromInside() {
        Map<String, Object> key = api.createKey("acme-pinned", "Warehouse Dashboard");
        Map<String, Object> pinned = patch("acme-pinned", key, "{\"allowedCidrs\": [\"10.0.0.0/8\"]}");
        assertEquals(List.of("10.0.0.0/8"), pinned.get("allowedCidrs"));

        assertEquals("Deny", outcome(key, "127.0.0.1"), "API Gateway's 403: the credentials are right");
        assertEquals("Deny", outcome(key, "203.0.113.20"));
        assertEquals("Allow", outcome(key, "10.1.2.3"));
        assertEquals("Allow", outcome(key, "::ffff:10.1.2.3"), "IPv4-mapped IPv6");
        assertEquals("Allow", outcome(key, "::FFFF:a01:203"), "in hex too");
        assertEquals("Deny", outcome(key, "::ffff:127.0.0.1"));
        assertEquals(List.of("10.0.0.0/8"), get("acme-pinned", key).get("allowedCidrs"));

        patch("acme-pinned", key, "{\"allowedCidrs\": null}");
        assertEquals("Allow", outcome(key, "127.0.0.1"), "null: any address again");
    }

    @Test
    void ipv6Ranges_shouldHoldIpv6Clients_givenAtCreate() {
        APIGatewayProxyResponseEvent created = api.create(Events.create("acme-pinned6",
                "{\"name\": \"3PL Integration\", \"allowedCidrs\": [\"2001:DB8:0:0::/32\", \"203.0.113.0/24\"]}"));
        assertEquals(201, created.getStatusCode(), created.getBody());
        Map<String, Object> key = Api.json(created);
        assertEquals(List.of("2001:db8::/32", "203.0.113.0/24"), key.get("allowedCidrs"), "as stored: RFC 5952");

        assertEquals("Allow", outcome(key, "2001:db8:ffff::1"));
        assertEquals("Allow", outcome(key, "203.0.113.99"));
        assertEquals("Deny", outcome(key, "2001:db9::1"));
        assertEquals("Deny", outcome(key, "::1"));
        assertEquals("Deny", outcome(key, "10.0.0.1"));
    }

    @Test
    void aSuspendedKeyOutsideItsNetworks_shouldStillBeRefusedAs401() {
        Map<String, Object> key = api.createKey("acme-both", "Warehouse Dashboard");
        patch("acme-both", key, "{\"enabled\": false, \"allowedCidrs\": [\"10.0.0.0/8\"]}");

        assertEquals("Unauthorized", outcome(key, "127.0.0.1"));
        assertEquals("Unauthorized", outcome(key, "10.0.0.1"));
        patch("acme-both", key, "{\"enabled\": true}");
        assertEquals("Allow", outcome(key, "10.0.0.1"));
        assertEquals("Deny", outcome(key, "127.0.0.1"));
    }

    @Test
    void badRanges_shouldBe400InvalidAllowedCidrs_onCreateAndPatch_changingNothing() {
        Map<String, Object> key = api.createKey("acme-bad-cidrs", "Warehouse Dashboard");
        StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i < 21; i++) {
            tooMany.append(i == 0 ? "" : ",").append("\"10.").append(i).append(".0.0/16\"");
        }
        tooMany.append(']');
        for (String bad : List.of("[\"10.1.2.3/8\"]", "[\"10.0.0.0/33\"]", "[\"2001:db8::/129\"]", "[\"10.0.0\"]",
                "[\"example.com\"]", "[10]", "\"10.0.0.0/8\"", tooMany.toString())) {
            APIGatewayProxyResponseEvent created = api.create(Events.create("acme-bad-cidrs",
                    "{\"name\": \"x\", \"allowedCidrs\": " + bad + "}"));
            assertEquals(400, created.getStatusCode(), bad);
            assertEquals("invalid_allowed_cidrs", Api.json(created).get("code"), bad);
            APIGatewayProxyResponseEvent patched = api.rename.handleRequest(Events.rename("acme-bad-cidrs",
                    (String) key.get("id"), "{\"allowedCidrs\": " + bad + "}"), null);
            assertEquals(400, patched.getStatusCode(), bad);
            assertEquals("invalid_allowed_cidrs", Api.json(patched).get("code"), bad);
        }
        APIGatewayProxyResponseEvent notBoolean = api.rename.handleRequest(Events.rename("acme-bad-cidrs",
                (String) key.get("id"), "{\"enabled\": \"no\"}"), null);
        assertEquals("invalid_enabled", Api.json(notBoolean).get("code"));
        assertEquals(1, ((List<?>) Api.json(api.list.handleRequest(Events.list("acme-bad-cidrs", Map.of()), null))
                .get("keys")).size(), "no key was made");
        assertTrue(((List<?>) get("acme-bad-cidrs", key).get("allowedCidrs")).isEmpty());
        assertFalse(Api.json(notBoolean).toString().contains((String) key.get("clientSecret")));
    }
}
