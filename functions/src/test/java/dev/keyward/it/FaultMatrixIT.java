package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.aws.AwsClients;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.Credentials;
import dev.keyward.core.KeyRotation;
import dev.keyward.core.TestClock;
import dev.keyward.it.AwsEnvironment.Aws;
import dev.keyward.it.FaultInjector.Fault;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Create, rotate and delete with every fault AWS can produce at every AWS call they make: the
 * answer is a success or 503 (never 500, never a false 409 or 404), it tells the truth about
 * what was saved, and afterwards the {@link Invariants} hold, checked in the emulator. Then the
 * sweep (or the next request) repairs whatever was left half-way.
 *
 * <p>The calls each operation makes are recorded from a clean run first, so a call added later
 * is covered without touching this class.
 */
@ExtendWith(AwsEnvironment.class)
class FaultMatrixIT {
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();
    /** One line per scenario: what it answered and what the invariant check found; written to target/. */
    private static final List<String> REPORT = java.util.Collections.synchronizedList(new ArrayList<>());

    @org.junit.jupiter.api.AfterAll
    static void writeReport() throws java.io.IOException {
        java.nio.file.Files.write(java.nio.file.Path.of("target", "fault-matrix.txt"), REPORT);
    }

    private static void report(String operation, Scenario s, APIGatewayProxyResponseEvent response) {
        REPORT.add(operation + ": " + s + " -> " + response.getStatusCode() + ", invariants hold, sweep repairs");
    }

    /** One fault at one call: the n-th call of an operation. */
    record Scenario(String operation, int occurrence, Fault fault, boolean everyAttempt) {
        @Override
        public String toString() {
            return operation + (occurrence == 0 ? " every call" : "#" + occurrence) + " " + fault
                    + (everyAttempt ? " every attempt" : " first attempt");
        }
    }

    @TestFactory
    Stream<DynamicTest> create_answers201Or503_andLeavesNoGhost(Aws aws) {
        List<String> calls = recordCalls(aws, (api, account) -> null,
                (api, account, none) -> api.create(Events.createNamed(account, "Warehouse Dashboard")));
        return scenarios(calls).map(s -> DynamicTest.dynamicTest("create: " + s, () -> quietly(() -> {
            String account = account("c");
            FaultInjector faults = new FaultInjector();
            APIGatewayProxyResponseEvent response;
            try (AwsClients clients = aws.clientsWith(faults)) {
                Api api = new Api(Keyward.ports(aws.settings(), clients, java.time.Clock.systemUTC()));
                faults.arm(s.operation(), s.occurrence(), s.fault(), s.everyAttempt());
                response = api.create(Events.createNamed(account, "Warehouse Dashboard"));
            }
            assertTrue(faults.firedCount() > 0, "the fault was injected");
            int status = response.getStatusCode();
            Api clean = new Api(aws.service());
            if (status == 201) {
                Map<String, Object> created = Api.json(response);
                APIGatewayProxyResponseEvent edit = clean.get.handleRequest(Events.get(account, (String) created.get("id")), null);
                assertEquals(200, edit.getStatusCode(), "the created key can be edited: " + edit.getBody());
                assertEquals(created.get("clientSecret"), Api.json(edit).get("clientSecret"));
            } else {
                assertUnavailable(response);
                assertEquals(0, keyItems(aws, account), "a 503 saved no key");
            }
            Invariants.assertHold(aws, account);
            assertSweepRepairs(aws, account);
            report("create", s, response);
        })));
    }

    /**
     * Create with an Idempotency-Key, each fault at each call (the claim, the record's completion
     * or release among them): 201 or 503, and the client's retry with the same key, once any
     * lease has run out, answers 201 with one key, the same one every time.
     */
    @TestFactory
    Stream<DynamicTest> createWithIdempotencyKey_answers201Or503_andTheRetryMakesOneKey(Aws aws) {
        List<String> calls = recordCalls(aws, (api, account) -> null, (api, account, none) -> api.create(
                Events.withHeader(Events.createNamed(account, "Warehouse Dashboard"), "Idempotency-Key", "k-" + account)));
        return scenarios(calls).map(s -> DynamicTest.dynamicTest("create with Idempotency-Key: " + s, () -> quietly(() -> {
            String account = account("i");
            TestClock clock = new TestClock(Instant.now());
            FaultInjector faults = new FaultInjector();
            APIGatewayProxyResponseEvent response;
            try (AwsClients clients = aws.clientsWith(faults)) {
                Api api = new Api(Keyward.ports(aws.settings(), clients, clock));
                faults.arm(s.operation(), s.occurrence(), s.fault(), s.everyAttempt());
                response = api.create(Events.withHeader(Events.createNamed(account, "Warehouse Dashboard"),
                        "Idempotency-Key", "k-" + account));
            }
            assertTrue(faults.firedCount() > 0, "the fault was injected");
            if (response.getStatusCode() != 201) {
                assertUnavailable(response);
                assertEquals(0, keyItems(aws, account), "a 503 saved no key");
            }
            Invariants.assertHold(aws, account);

            clock.advance(dev.keyward.core.IdempotencyRecord.LEASE.plusSeconds(1));
            APIGatewayProxyResponseEvent retried = new Api(aws.service(clock)).create(Events.withHeader(
                    Events.createNamed(account, "Warehouse Dashboard"), "Idempotency-Key", "k-" + account));
            assertEquals(201, retried.getStatusCode(), retried.getBody());
            if (response.getStatusCode() == 201) {
                assertEquals(Api.json(response), Api.json(retried), "the retry answers the same");
            }
            assertEquals(1, keyItems(aws, account), "one key");
            assertEquals(Set.of(Api.json(retried).get("id")), Invariants.secretKeyIds(aws, account), "one secret");
            Invariants.assertHold(aws, account);
            assertSweepRepairs(aws, account);
            report("create with Idempotency-Key", s, response);
        })));
    }

    @TestFactory
    Stream<DynamicTest> rotate_answers200Or503_andNeverLocksOut(Aws aws) {
        List<String> calls = recordCalls(aws, (api, account) -> (String) api.createKey(account, "3PL Integration").get("id"),
                (api, account, keyId) -> api.rotate.handleRequest(Events.rotate(account, keyId, "{\"graceSeconds\":0}"), null));
        return scenarios(calls).map(s -> DynamicTest.dynamicTest("rotate: " + s, () -> quietly(() -> {
            String account = account("r");
            TestClock clock = new TestClock(Instant.now());
            Api clean = new Api(aws.service(clock));
            Map<String, Object> key = clean.createKey(account, "3PL Integration");
            String keyId = (String) key.get("id");
            String clientId = (String) key.get("clientId");
            String oldSecret = (String) key.get("clientSecret");
            FaultInjector faults = new FaultInjector();
            APIGatewayProxyResponseEvent response;
            try (AwsClients clients = aws.clientsWith(faults)) {
                Api api = new Api(Keyward.ports(aws.settings(), clients, clock));
                faults.arm(s.operation(), s.occurrence(), s.fault(), s.everyAttempt());
                response = api.rotate.handleRequest(Events.rotate(account, keyId, "{\"graceSeconds\":0}"), null);
            }
            assertTrue(faults.firedCount() > 0, "the fault was injected");
            String currentHash = clientItem(aws, clientId).get("secretHash").s();
            if (response.getStatusCode() == 200) {
                String newSecret = (String) Api.json(response).get("clientSecret");
                assertEquals(Credentials.hash(newSecret), currentHash, "a 200 rotation made its secret current");
                assertEquals(newSecret, Api.json(clean.get.handleRequest(Events.get(account, keyId), null)).get("clientSecret"));
                Invariants.assertRefused(aws, clientId, oldSecret);
            } else {
                assertUnavailable(response);
                assertEquals(Credentials.hash(oldSecret), currentHash, "a 503 rotation left the current secret");
            }
            Invariants.assertHold(aws, account);

            // the next rotation, once any lease has run out, succeeds and leaves a clean state
            clock.advance(KeyRotation.ROTATION_LEASE.plusSeconds(1));
            String repaired = (String) clean.rotateKey(account, keyId, 0).get("clientSecret");
            assertEquals(Credentials.hash(repaired), clientItem(aws, clientId).get("secretHash").s());
            Invariants.assertRefused(aws, clientId, oldSecret);
            Invariants.assertHold(aws, account);
            report("rotate", s, response);
        })));
    }

    @TestFactory
    Stream<DynamicTest> delete_answers204Or503_andTheKeyIsRefused(Aws aws) {
        List<String> calls = recordCalls(aws, (api, account) -> (String) api.createKey(account, "Custom Reporting Tool").get("id"),
                (api, account, keyId) -> api.delete.handleRequest(Events.delete(account, keyId), null));
        return scenarios(calls).map(s -> DynamicTest.dynamicTest("delete: " + s, () -> quietly(() -> {
            String account = account("d");
            Api clean = new Api(aws.service());
            Map<String, Object> key = clean.createKey(account, "Custom Reporting Tool");
            String keyId = (String) key.get("id");
            FaultInjector faults = new FaultInjector();
            APIGatewayProxyResponseEvent response;
            try (AwsClients clients = aws.clientsWith(faults)) {
                Api api = new Api(Keyward.ports(aws.settings(), clients, java.time.Clock.systemUTC()));
                faults.arm(s.operation(), s.occurrence(), s.fault(), s.everyAttempt());
                response = api.delete.handleRequest(Events.delete(account, keyId), null);
            }
            assertTrue(faults.firedCount() > 0, "the fault was injected");
            if (response.getStatusCode() == 204) {
                assertEquals(0, keyItems(aws, account), "a 204 removed the key");
            } else {
                assertUnavailable(response);
                assertEquals(1, keyItems(aws, account), "a 503 delete left the key");
                Invariants.assertHold(aws, account);
                assertEquals(204, clean.delete.handleRequest(Events.delete(account, keyId), null).getStatusCode(),
                        "deleting again succeeds");
            }
            Invariants.assertRefused(aws, (String) key.get("clientId"), (String) key.get("clientSecret"));
            Invariants.assertHold(aws, account);
            assertSweepRepairs(aws, account);
            report("delete", s, response);
        })));
    }

    /** Every call of the clean run, each with every fault AWS can answer it with. */
    private static Stream<Scenario> scenarios(List<String> calls) {
        List<Scenario> scenarios = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String operation : calls) {
            int occurrence = seen.merge(operation, 1, Integer::sum);
            if (occurrence == 1 && Fault.CONFLICT.appliesTo(operation)) {
                // a conflict on every call of the operation, the adapters' own retries included
                scenarios.add(new Scenario(operation, 0, Fault.CONFLICT, true));
            }
            scenarios.add(new Scenario(operation, occurrence, Fault.LOST_RESPONSE, false));
            for (Fault fault : Fault.values()) {
                if (fault.appliesTo(operation)) {
                    scenarios.add(new Scenario(operation, occurrence, fault, true));
                }
            }
        }
        return scenarios.stream();
    }

    /** The AWS calls one clean run of {@code operation} makes, after {@code setup} ran on a clean service. */
    private static List<String> recordCalls(Aws aws, java.util.function.BiFunction<Api, String, String> setup, Operation operation) {
        CallCounter counter = new CallCounter();
        List<String> recorded = new ArrayList<>();
        try (AwsClients clients = aws.clientsWith(counter)) {
            quietly(() -> {
                Api counted = new Api(Keyward.ports(aws.settings(), clients, java.time.Clock.systemUTC()));
                String account = account("record");
                String keyId = setup.apply(new Api(aws.service()), account);
                counter.reset();
                operation.run(counted, account, keyId);
                recorded.addAll(counter.operations());
            });
        }
        return recorded;
    }

    interface Operation {
        APIGatewayProxyResponseEvent run(Api api, String accountId, String keyId);
    }

    private static void assertUnavailable(APIGatewayProxyResponseEvent response) {
        assertEquals(503, response.getStatusCode(), response.getBody());
        assertEquals("dependency_unavailable", Api.json(response).get("code"));
        assertNotNull(response.getHeaders().get("Retry-After"));
    }

    /** The sweep destroys every secret a failure left noted; afterwards each secret has its key. */
    private static void assertSweepRepairs(Aws aws, String account) {
        aws.service().housekeeping().sweepOrphanSecrets(Duration.ZERO);
        assertEquals(Set.of(), Invariants.notedKeyIds(aws, account), "notes left after the sweep");
        Set<String> keys = new java.util.HashSet<>();
        queryKeys(aws, account).forEach(k -> keys.add(k.get("keyId").s()));
        Set<String> secrets = Invariants.secretKeyIds(aws, account);
        assertEquals(keys, secrets, "after the sweep, exactly the keys have secrets");
        Invariants.assertHold(aws, account);
    }

    private static int keyItems(Aws aws, String account) {
        return queryKeys(aws, account).size();
    }

    private static List<Map<String, AttributeValue>> queryKeys(Aws aws, String account) {
        return aws.clients().dynamoDb().query(q -> q.tableName(aws.settings().tableName()).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :key)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ACCOUNT#" + account),
                        ":key", AttributeValue.fromS("KEY#")))).items();
    }

    private static Map<String, AttributeValue> clientItem(Aws aws, String clientId) {
        return aws.clients().dynamoDb().getItem(g -> g.tableName(aws.settings().tableName()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("CLIENT#" + clientId), "sk", AttributeValue.fromS("CLIENT")))).item();
    }

    private static String account(String kind) {
        return "fault-" + kind + "-" + ACCOUNTS.incrementAndGet();
    }

    /**
     * Runs with standard output captured: injected faults are logged at WARN at most, never at
     * ERROR (an ERROR line would page someone for what AWS does by design), and never a stack trace.
     */
    private static void quietly(Runnable scenario) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            scenario.run();
        } finally {
            System.setOut(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertFalse(logs.contains("\"level\":\"ERROR\""), logs);
        assertFalse(logs.contains("\tat "), logs);
    }
}
