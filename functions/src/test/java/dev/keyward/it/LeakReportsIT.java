package dev.keyward.it;

import dev.keyward.invoke.StreamHandlers;
import static dev.keyward.it.Events.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.UseCases;
import dev.keyward.aws.AwsClients;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.ReportSignatures;
import dev.keyward.core.ScannerKeys;
import dev.keyward.core.TestClock;
import dev.keyward.handler.ReportLeakedSecretsHandler;
import dev.keyward.it.AwsEnvironment.Aws;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Secret-scanning reports, signed as GitHub signs them, through the SDK against the emulator. */
@ExtendWith(AwsEnvironment.class)
class LeakReportsIT {
    private static final String SCANNER_KEY_ID = "bcb53661c06b4728e59d897fb6165d5c9cda0fd9cdf9d09ead458168deb7518c";
    private static final String URL = "https://github.com/octo-org/octo-repo/blob/1234567/config.env";
    private static final String TYPE = "keyward_client_secret";
    private static final String METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/whoami";

    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final ScannerKeys scanner = new ScannerKeys();
    private final CallCounter calls = new CallCounter();
    private Aws aws;
    private AwsClients countedClients;
    private Api api;
    private Api.Handler reports;
    private com.amazonaws.services.lambda.runtime.RequestHandler<com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer;

    @BeforeEach
    void setUp(Aws aws) {
        this.aws = aws;
        api = new Api(aws.service(clock));
        countedClients = aws.clientsWith(calls);
        UseCases counted = new UseCases(Keyward.ports(aws.settings(), countedClients, clock));
        reports = StreamHandlers.proxy(new ReportLeakedSecretsHandler(Keyward.leakResponder(aws.settings(), countedClients,
                counted.ports(), clock), ReportSignatures.fromPem(Map.of(SCANNER_KEY_ID, scanner.publicPem()))))::handleRequest;
        authorizer = aws.authorizer(aws.clients(), clock);
    }

    @AfterEach
    void closeClients() {
        countedClients.close();
    }

    @Test
    void report_shouldRevokeTheCurrentAndTheGraceSecretsKeys_andLabelAForgeryFalsePositive() {
        // GIVEN three keys; B was rotated and its previous secret is in its grace period
        Map<String, Object> a = api.createKey("acme-leak", "Warehouse Dashboard");
        Map<String, Object> b = api.createKey("acme-leak", "3PL Integration");
        Map<String, Object> c = api.createKey("acme-leak", "Billing export");
        String bPrevious = (String) b.get("clientSecret");
        String bCurrent = (String) api.rotateKey("acme-leak", (String) b.get("id"), 3600).get("clientSecret");
        String aSecret = (String) a.get("clientSecret");
        String forged = aSecret.substring(0, 20) + (aSecret.charAt(20) == 'Q' ? 'R' : 'Q') + aSecret.substring(21);

        // WHEN the scanner reports A's current secret, B's grace-period secret and a forgery
        APIGatewayProxyResponseEvent response = post(body(aSecret, bPrevious, forged));

        // THEN the labels say which are Keyward's, and exactly A and B are revoked
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(List.of(feedback(aSecret, "true_positive"), feedback(bPrevious, "true_positive"),
                feedback(forged, "false_positive")), array(response));
        assertEquals(List.of(c.get("id")), keyIds("acme-leak"));
        assertEquals("Unauthorized", authorize((String) a.get("clientId"), aSecret), "A's next call is refused");
        assertEquals("Unauthorized", authorize((String) b.get("clientId"), bCurrent), "B's current secret went with its key");
        assertEquals("Allow", authorize((String) c.get("clientId"), (String) c.get("clientSecret")));
        List<Map<String, Object>> deletions = auditEvents("acme-leak").stream()
                .filter(e -> "key.deleted".equals(e.get("action"))).toList();
        assertEquals(2, deletions.size(), deletions.toString());
        assertTrue(deletions.stream().allMatch(e -> "secret-scanning".equals(e.get("caller"))), deletions.toString());
        assertEquals(List.of(a.get("id"), b.get("id")).stream().sorted().toList(),
                deletions.stream().map(e -> e.get("keyId")).sorted().toList());
    }

    @Test
    void report_shouldChangeNothingMore_whenReplayed() {
        Map<String, Object> a = api.createKey("acme-replay", "Warehouse Dashboard");
        Map<String, Object> b = api.createKey("acme-replay-flag", "3PL Integration");
        flagPolicy("acme-replay-flag");
        String report = body((String) a.get("clientSecret"), (String) b.get("clientSecret"));
        APIGatewayProxyResponseEvent first = post(report);
        assertEquals(200, first.getStatusCode(), first.getBody());
        List<Map<String, AttributeValue>> before = table();
        clock.advance(Duration.ofMinutes(5));

        APIGatewayProxyResponseEvent replay = post(report);

        assertEquals(200, replay.getStatusCode(), replay.getBody());
        assertEquals(array(first), array(replay), "the same labels");
        assertEquals(before, table(), "not one item changed, added or removed");
    }

    @Test
    void report_shouldFlagAndKeepTheKey_whenTheAccountsPolicyIsFlag() {
        // GIVEN an account that chose to be told rather than have keys revoked
        flagPolicy("acme-flag");
        Map<String, Object> key = api.createKey("acme-flag", "Warehouse Dashboard");
        String keyId = (String) key.get("id");
        String previous = (String) key.get("clientSecret");
        String current = (String) api.rotateKey("acme-flag", keyId, 3600).get("clientSecret");

        // WHEN its grace-period secret is reported
        APIGatewayProxyResponseEvent response = post(body(previous));

        // THEN the key still works, and list, get and the audit trail say it leaked, and where
        assertEquals(List.of(feedback(previous, "true_positive")), array(response));
        assertEquals("Allow", authorize((String) key.get("clientId"), current));
        Map<String, Object> listed = Api.json(api.list.handleRequest(Events.list("acme-flag", Map.of()), null));
        @SuppressWarnings("unchecked")
        Map<String, Object> listedKey = ((List<Map<String, Object>>) listed.get("keys")).get(0);
        assertEquals(Map.of("at", "2026-11-27T10:00:00.000Z", "url", URL), listedKey.get("leaked"));
        assertEquals(Map.of("at", "2026-11-27T10:00:00.000Z", "url", URL),
                Api.json(api.get.handleRequest(Events.get("acme-flag", keyId), null)).get("leaked"));
        List<Map<String, Object>> reported = auditEvents("acme-flag").stream()
                .filter(e -> "key.leak_reported".equals(e.get("action"))).toList();
        assertEquals(1, reported.size(), reported.toString());
        assertEquals("secret-scanning", reported.get(0).get("caller"));
        assertEquals(keyId, reported.get(0).get("keyId"));
    }

    @Test
    void report_shouldOnlyLabel_aSecretThatNoLongerWorks() {
        Map<String, Object> key = api.createKey("acme-expired", "Warehouse Dashboard");
        String previous = (String) key.get("clientSecret");
        api.rotateKey("acme-expired", (String) key.get("id"), 60);
        clock.advance(Duration.ofMinutes(2));

        APIGatewayProxyResponseEvent response = post(body(previous));

        assertEquals(List.of(feedback(previous, "true_positive")), array(response), "it was ours");
        assertEquals(List.of(key.get("id")), keyIds("acme-expired"), "nothing to revoke: it no longer works");
    }

    @Test
    void report_shouldLabelMalformedTokensFalsePositive_withoutAnyLookup() {
        String valid = (String) api.createKey("acme-forged", "Warehouse Dashboard").get("clientSecret");
        String badChecksum = valid.substring(0, valid.length() - 1) + (valid.endsWith("a") ? "b" : "a");
        calls.reset();

        APIGatewayProxyResponseEvent response = post(body(badChecksum, "kw_sec_short", "cs_live_abc", ""));

        assertEquals(List.of("false_positive", "false_positive", "false_positive", "false_positive"),
                array(response).stream().map(e -> e.get("label")).toList());
        assertEquals(0, calls.total(), calls.operations().toString());
    }

    @Test
    void report_shouldBeRefusedWith401_andDoNothing_unlessSignedByAConfiguredKey() {
        Map<String, Object> key = api.createKey("acme-unsigned", "Warehouse Dashboard");
        String report = body((String) key.get("clientSecret"));
        String signature = scanner.sign(report);
        calls.reset();

        List<APIGatewayProxyResponseEvent> refused = List.of(
                reports.handleRequest(Events.reportLeaks(report, SCANNER_KEY_ID, new ScannerKeys().sign(report)), null),
                reports.handleRequest(Events.reportLeaks(report.replace("content", "commit"), SCANNER_KEY_ID, signature), null),
                reports.handleRequest(Events.reportLeaks(report, null, null), null),
                reports.handleRequest(Events.reportLeaks(report, SCANNER_KEY_ID, null), null),
                reports.handleRequest(Events.reportLeaks(report, "another-key", signature), null));

        for (APIGatewayProxyResponseEvent response : refused) {
            assertEquals(401, response.getStatusCode(), response.getBody());
            assertEquals("invalid_report_signature", Api.json(response).get("code"));
            assertFalse(response.getBody().contains((String) key.get("clientSecret")));
        }
        assertEquals(0, calls.total(), "no work done: " + calls.operations());
        assertEquals(List.of(key.get("id")), keyIds("acme-unsigned"));
    }

    @Test
    void report_shouldBeRefused_whenItHoldsMoreThan1000Tokens() {
        String[] tokens = new String[1001];
        java.util.Arrays.fill(tokens, (String) api.createKey("acme-many", "Warehouse Dashboard").get("clientSecret"));
        calls.reset();

        APIGatewayProxyResponseEvent response = post(body(tokens));

        assertEquals(413, response.getStatusCode(), response.getBody());
        assertEquals("too_many_tokens", Api.json(response).get("code"));
        assertEquals(0, calls.total(), calls.operations().toString());
        assertEquals(1, keyIds("acme-many").size());
    }

    @Test
    void report_shouldBeRefusedWith400_whenNotAnArrayOfTokens() {
        for (String bad : List.of("{\"token\":\"x\"}", "[{\"type\":\"t\"}]", "[1, 2]", "not json", "[] []")) {
            APIGatewayProxyResponseEvent response = post(bad);
            assertEquals(400, response.getStatusCode(), bad + " -> " + response.getBody());
            assertEquals("invalid_report", Api.json(response).get("code"));
        }
    }

    private APIGatewayProxyResponseEvent post(String body) {
        return reports.handleRequest(Events.reportLeaks(body, SCANNER_KEY_ID, scanner.sign(body)), null);
    }

    private static String body(String... tokens) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (String token : tokens) {
            entries.add(Map.of("token", token, "type", TYPE, "url", URL, "source", "content"));
        }
        try {
            return JSON.std.asString(entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> feedback(String token, String label) {
        return Map.of("token_raw", token, "token_type", TYPE, "label", label);
    }

    private static List<Map<String, Object>> array(APIGatewayProxyResponseEvent response) {
        try {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> list = (List<Map<String, Object>>) (List<?>) JSON.std.listFrom(response.getBody());
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String authorize(String clientId, String secret) {
        IamPolicyResponseV1 response;
        try {
            response = authorizer.handleRequest(Events.authorize(basic(clientId, secret)), null);
        } catch (dev.keyward.http.Authorizers.AuthorizerFailure e) {
            return e.getMessage(); // "Unauthorized": API Gateway's 401
        }
        Map<?, ?>[] statements = (Map<?, ?>[]) response.getPolicyDocument().get("Statement");
        assertEquals(List.of(METHOD_ARN), List.of((Object[]) statements[0].get("Resource")));
        return (String) statements[0].get("Effect");
    }

    @SuppressWarnings("unchecked")
    private List<Object> keyIds(String accountId) {
        Map<String, Object> page = Api.json(api.list.handleRequest(Events.list(accountId, Map.of()), null));
        return ((List<Map<String, Object>>) page.get("keys")).stream().map(k -> k.get("id")).toList();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> auditEvents(String accountId) {
        return (List<Map<String, Object>>) Api.json(api.audit.handleRequest(Events.audit(accountId, Map.of()), null)).get("events");
    }

    private void flagPolicy(String accountId) {
        aws.clients().dynamoDb().putItem(p -> p.tableName(aws.settings().tableName()).item(Map.of(
                "pk", AttributeValue.fromS("ACCOUNT#" + accountId), "sk", AttributeValue.fromS("SETTINGS"),
                "leakPolicy", AttributeValue.fromS("flag"))));
    }

    /** Every item of the table, in a stable order. */
    private List<Map<String, AttributeValue>> table() {
        List<Map<String, AttributeValue>> items = new ArrayList<>(aws.clients().dynamoDb()
                .scanPaginator(s -> s.tableName(aws.settings().tableName()).consistentRead(true)).items().stream().toList());
        items.sort(Comparator.comparing((Map<String, AttributeValue> i) -> i.get("pk").s()).thenComparing(i -> i.get("sk").s()));
        return items;
    }
}
