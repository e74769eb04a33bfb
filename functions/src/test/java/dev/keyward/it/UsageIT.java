package dev.keyward.it;

import dev.keyward.invoke.StreamHandlers;
import static dev.keyward.it.Events.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.aws.AwsClients;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.Credentials;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.TestClock;
import dev.keyward.handler.AuthorizerHandler;
import dev.keyward.handler.GetKeyUsageHandler;
import dev.keyward.it.AwsEnvironment.Aws;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Usage counts: written by the authorizer at most once a minute per key, read by the usage route. */
@ExtendWith(AwsEnvironment.class)
class UsageIT {
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T22:00:00Z"));
    private final WritesPerKeyMinute writes = new WritesPerKeyMinute(clock);
    private Aws aws;
    private AwsClients countedClients;
    private Api api;
    private Api.Handler usage;

    @BeforeEach
    void setUp(Aws aws) {
        this.aws = aws;
        api = new Api(aws.service(clock));
        countedClients = aws.clientsWith(writes);
        usage = StreamHandlers.proxy(new GetKeyUsageHandler(Keyward.keyUsage(aws.settings(), aws.clients(), clock)))::handleRequest;
    }

    @AfterEach
    void closeClients() {
        countedClients.close();
    }

    @Test
    void fiveHundredChecks_acrossThreeKeysAndTwoDays_giveExactCounts_withAtMostOneWritePerKeyPerMinute() {
        // GIVEN three keys, checked from one sandbox from 22:00 on the 27th to past midnight
        List<Map<String, Object>> keys = List.of(api.createKey("acme-usage", "Warehouse Dashboard"),
                api.createKey("acme-usage", "3PL Integration"), api.createKey("acme-usage", "Billing export"));
        KeyVerifier verifier = Keyward.verifier(aws.settings(), countedClients, clock);
        var authorizer = StreamHandlers.authorizer(new AuthorizerHandler(verifier));
        Map<String, long[]> expected = new HashMap<>(); // keyId/day -> allowed, denied

        // WHEN 500 checks arrive, 17 s apart (2 h 21 m in all), every 7th with a wrong secret
        for (int i = 0; i < 500; i++) {
            Map<String, Object> key = keys.get(i % 3);
            boolean wrong = i % 7 == 0;
            String secret = wrong ? Credentials.newClientSecret() : (String) key.get("clientSecret");
            var event = Events.authorize(basic((String) key.get("clientId"), secret));
            if (wrong) { // refused: the authorizer fails with Unauthorized, API Gateway's 401
                assertEquals("Unauthorized", assertThrows(RuntimeException.class,
                        () -> authorizer.handleRequest(event, null)).getMessage());
            } else {
                authorizer.handleRequest(event, null);
            }
            String day = clock.instant().toString().substring(0, 10);
            expected.computeIfAbsent(key.get("id") + "/" + day, k -> new long[2])[wrong ? 1 : 0]++;
            clock.advance(Duration.ofSeconds(17));
        }
        int duringChecks = writes.total();
        verifier.flushUsage(); // what the sandbox writes when it stops

        // THEN each key's days hold exactly the checks made, and no key was written twice in a minute
        assertTrue(writes.mostInOneMinute() <= 1, "writes per key and minute: " + writes.mostInOneMinute());
        assertTrue(duringChecks <= 3 * (141 + 1), "at most one write per key per minute: " + duringChecks);
        long total = 0;
        for (Map<String, Object> key : keys) {
            for (Map<String, Object> day : days(get("acme-usage", (String) key.get("id"), "2"))) {
                long[] counts = expected.getOrDefault(key.get("id") + "/" + day.get("date"), new long[2]);
                assertEquals(counts[0], ((Number) day.get("allowed")).longValue(), key.get("id") + " " + day);
                assertEquals(counts[1], ((Number) day.get("denied")).longValue(), key.get("id") + " " + day);
                total += counts[0] + counts[1];
            }
        }
        assertEquals(500, total);
        assertTrue(expected.keySet().stream().anyMatch(k -> k.endsWith("2026-11-28")), "the checks crossed midnight");
    }

    @Test
    void usage_shouldAnswerEveryDayOldestFirst_withZerosForDaysWithoutChecks() {
        Map<String, Object> key = api.createKey("acme-usage-days", "Warehouse Dashboard");
        String keyId = (String) key.get("id");
        KeyVerifier verifier = Keyward.verifier(aws.settings(), aws.clients(), clock);
        StreamHandlers.authorizer(new AuthorizerHandler(verifier))
                .handleRequest(Events.authorize(basic((String) key.get("clientId"), (String) key.get("clientSecret"))), null);
        verifier.flushUsage();
        clock.advance(Duration.ofDays(2));

        Map<String, Object> body = Api.json(get("acme-usage-days", keyId, "3"));

        assertEquals(keyId, body.get("keyId"));
        Map<String, Object> none = Map.of("wrong_secret", 0, "expired", 0, "disabled", 0, "ip_not_allowed", 0,
                "scope_missing", 0);
        assertEquals(List.of(Map.of("date", "2026-11-27", "allowed", 1, "denied", 0, "deniedBy", none),
                Map.of("date", "2026-11-28", "allowed", 0, "denied", 0, "deniedBy", none),
                Map.of("date", "2026-11-29", "allowed", 0, "denied", 0, "deniedBy", none)), body.get("days"));
        assertEquals(List.of(), body.get("recentDenials"));
        assertEquals(30, days(get("acme-usage-days", keyId, null)).size(), "30 days by default");
        assertEquals(90, days(get("acme-usage-days", keyId, "90")).size());
    }

    @Test
    void usage_shouldBeKept90Days_byTheTablesTtlAttribute() {
        Map<String, Object> key = api.createKey("acme-usage-ttl", "Warehouse Dashboard");
        KeyVerifier verifier = Keyward.verifier(aws.settings(), aws.clients(), clock);
        StreamHandlers.authorizer(new AuthorizerHandler(verifier))
                .handleRequest(Events.authorize(basic((String) key.get("clientId"), (String) key.get("clientSecret"))), null);
        verifier.flushUsage();

        Map<String, AttributeValue> item = aws.clients().dynamoDb().getItem(g -> g.tableName(aws.settings().tableName())
                .key(Map.of("pk", AttributeValue.fromS("USAGE#acme-usage-ttl#" + key.get("id")),
                        "sk", AttributeValue.fromS("DAY#2026-11-27")))).item();

        assertEquals(Instant.parse("2027-02-25T00:00:00Z").getEpochSecond(), Long.parseLong(item.get("expiresAt").n()));
    }

    @Test
    void usage_shouldRefuseBadDays_andAnotherAccountsKey() {
        String keyId = (String) api.createKey("acme-usage-bad", "Warehouse Dashboard").get("id");

        for (String bad : List.of("0", "91", "-1", "seven", "1.5")) {
            APIGatewayProxyResponseEvent response = get("acme-usage-bad", keyId, bad);
            assertEquals(400, response.getStatusCode(), bad);
            assertEquals("invalid_days", Api.json(response).get("code"));
        }
        assertEquals("key_not_found", Api.json(get("acme-usage-other", keyId, "7")).get("code"));
        assertEquals(404, get("acme-usage-bad", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3", "7").getStatusCode());
    }

    private APIGatewayProxyResponseEvent get(String accountId, String keyId, String days) {
        return usage.handleRequest(Events.usage(accountId, keyId, days), null);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> days(APIGatewayProxyResponseEvent response) {
        assertEquals(200, response.getStatusCode(), response.getBody());
        return (List<Map<String, Object>>) Api.json(response).get("days");
    }

    /** Counts DynamoDB write requests per key (the keyId in a usage item's pk) and minute of the test clock. */
    private static final class WritesPerKeyMinute implements ExecutionInterceptor {
        private final TestClock clock;
        private final Map<String, Integer> perKeyMinute = new HashMap<>();
        private final List<String> all = new ArrayList<>();

        WritesPerKeyMinute(TestClock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            List<String> pks = new ArrayList<>();
            if (context.request() instanceof UpdateItemRequest update) {
                pks.add(update.key().get("pk").s());
            } else if (context.request() instanceof TransactWriteItemsRequest transaction) {
                transaction.transactItems().forEach(t -> Optional.ofNullable(t.update()).ifPresent(u -> pks.add(u.key().get("pk").s())));
            } else {
                return;
            }
            all.add(operation);
            String key = pks.stream().filter(pk -> pk.startsWith("USAGE#")).findFirst().orElse(String.join(",", pks));
            perKeyMinute.merge(key + "@" + clock.instant().getEpochSecond() / 60, 1, Integer::sum);
        }

        synchronized int total() {
            return all.size();
        }

        synchronized int mostInOneMinute() {
            return perKeyMinute.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        }
    }
}
