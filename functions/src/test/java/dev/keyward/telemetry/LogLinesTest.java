package dev.keyward.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.DependencyUnavailableException;
import dev.keyward.core.Verdict;
import dev.keyward.http.Api;
import dev.keyward.http.ApiResponse;
import dev.keyward.http.Authorizers;
import dev.keyward.http.Responses;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every line a request writes, whichever part writes it (the service's events, the request
 * wrapper's failures, the authorizer), carries the Lambda and API Gateway request ids, the cold
 * start flag, the X-Ray trace id, the function and its version; the events that are metrics are
 * valid Embedded Metric Format.
 */
class LogLinesTest {
    private static final String TRACE = "Root=1-6747a2b0-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1";
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void capture() {
        original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setProperty(Invocation.TRACE_PROPERTY, TRACE);
        Invocation.sandboxStarted();
    }

    @AfterEach
    void restore() {
        System.setOut(original);
        System.clearProperty(Invocation.TRACE_PROPERTY);
    }

    @Test
    void everyLineOfARequest_shouldCarryItsContext_andOnlyTheFirstIsACold() throws IOException {
        // WHEN two requests log an event and a third fails
        serve("lambda-1", request -> {
            Log.info("key_created", Map.of("accountId", "acme", "keyId", "key_1"));
            return Responses.noContent();
        });
        serve("lambda-2", request -> {
            Log.info("secret_viewed", Map.of("accountId", "acme", "keyId", "key_1"));
            return Responses.noContent();
        });
        serve("lambda-3", request -> {
            throw new IllegalStateException("a bug");
        });

        // THEN
        List<Map<String, Object>> lines = lines();
        assertEquals(List.of("key_created", "secret_viewed", "request_failed"), lines.stream().map(l -> l.get("event")).toList());
        assertEquals(List.of("lambda-1", "lambda-2", "lambda-3"), lines.stream().map(l -> l.get("requestId")).toList());
        assertEquals(List.of(true, false, false), lines.stream().map(l -> l.get("coldStart")).toList());
        for (Map<String, Object> line : lines) {
            assertEquals("c6af9ac6-7b61-11e6-9a41-93e8deadbeef", line.get("apiRequestId"), line.toString());
            assertEquals("1-6747a2b0-0123456789abcdef01234567", line.get("xrayTraceId"), line.toString());
            assertEquals("keyward-prod-GetKeyFunction", line.get("function"), line.toString());
            assertEquals("7", line.get("functionVersion"), line.toString());
        }
        assertEquals("ERROR", lines.get(2).get("level"), "a bug");
        assertEquals("java.lang.IllegalStateException", lines.get(2).get("error"));
        assertFalse(captured.toString(StandardCharsets.UTF_8).contains("a bug"), "no message in a log line");
    }

    @Test
    void eventsThatAreMetrics_shouldEmbedThem_inValidEmf() throws IOException {
        serve("lambda-1", request -> {
            Log.info("key_created", Map.of("accountId", "acme", "keyId", "key_1"));
            Log.info("key_renamed", Map.of("accountId", "acme", "keyId", "key_1"));
            Log.warn("audit_not_recorded", Map.of(), new DependencyUnavailableException("DynamoDB", new RuntimeException()));
            throw new DependencyUnavailableException("Secrets Manager", new RuntimeException());
        });

        List<Map<String, Object>> lines = lines();
        assertEquals("WARN", lines.get(3).get("level"), "AWS busy or unreachable: the caller retries");
        assertEquals(Map.of("KeysCreated", Map.of()), metrics(lines.get(0)));
        assertEquals(Map.of("KeysRenamed", Map.of()), metrics(lines.get(1)));
        assertEquals(Map.of("DependencyErrors", Map.of("Dependency", "DynamoDB")), metrics(lines.get(2)));
        assertEquals(Map.of("ServerErrors", Map.of("Code", "dependency_unavailable"),
                "DependencyErrors", Map.of("Dependency", "Secrets Manager")), metrics(lines.get(3)));
    }

    @Test
    void theSweepsEvents_shouldBeItsMetrics_forItsAlarms() throws IOException {
        Log.info("orphan_secret_swept", Map.of("accountId", "acme", "keyId", "key_1"));
        Log.warn("sweep_note_failed", Map.of("accountId", "acme", "keyId", "key_2"), new IllegalStateException());
        Log.warn("secret_missing", Map.of("accountId", "acme", "keyId", "key_3"), null);
        Log.warn("sweep_finished", Map.of("destroyed", 1, "failed", 1, "keysWithoutSecret", 1), null);

        List<Map<String, Object>> lines = lines();
        assertEquals(Map.of("OrphanSecretsDestroyed", Map.of()), metrics(lines.get(0)));
        assertEquals(Map.of("SweepFailures", Map.of()), metrics(lines.get(1)));
        assertEquals(Map.of("KeysWithoutSecret", Map.of()), metrics(lines.get(2)));
        assertEquals(Map.of("SweepRuns", Map.of()), metrics(lines.get(3)));
        assertEquals(1, lines.get(3).get("keysWithoutSecret"));
    }

    @Test
    void authorizerDecisions_shouldBeCountedByDecisionAndReason_withTheirRequestsContext() throws IOException {
        authorize(new Verdict(Verdict.Outcome.ALLOW, "acme", "key_1"), "auth_allowed");
        Authorizers.AuthorizerFailure denied = assertThrows(Authorizers.AuthorizerFailure.class,
                () -> authorize(new Verdict(Verdict.Outcome.DENY, null, null), "auth_denied_wrong_secret"));
        assertEquals("Unauthorized", denied.getMessage(), "API Gateway's 401");
        assertThrows(Authorizers.AuthorizerFailure.class, () -> authorize(null, null));

        List<Map<String, Object>> lines = lines();
        assertEquals(Map.of("AuthorizerDecisions", Map.of("Decision", "allow", "Reason", "valid")), metrics(lines.get(0)));
        assertEquals(Map.of("AuthorizerDecisions", Map.of("Decision", "deny", "Reason", "wrong_secret")), metrics(lines.get(1)));
        assertEquals("authorizer_failed", lines.get(2).get("event"));
        assertEquals(Map.of("AuthorizerDecisions", Map.of("Decision", "error", "Reason", "failure"),
                "DependencyErrors", Map.of("Dependency", "DynamoDB")), metrics(lines.get(2)));
        for (Map<String, Object> line : lines) {
            assertEquals("9f6e1b2a-7b61-11e6-9a41-93e8deadbeef", line.get("apiRequestId"), line.toString());
            assertEquals("lambda-auth", line.get("requestId"), line.toString());
        }
    }

    @Test
    void linesOutsideAnInvocation_shouldStillBeWritten_withoutItsContext() throws IOException {
        Log.warn("priming_failed", Map.of(), new IllegalStateException());

        Map<String, Object> line = lines().get(0);
        assertEquals("priming_failed", line.get("event"));
        assertFalse(line.containsKey("requestId") || line.containsKey("coldStart"), line.toString());
    }

    private void serve(String lambdaRequestId, java.util.function.Function<dev.keyward.http.ApiRequest, ApiResponse> route)
            throws IOException {
        Api.serve(new ByteArrayInputStream(event("get-key.json")), new ByteArrayOutputStream(), new TestContext(lambdaRequestId),
                "GET", route);
    }

    /** Runs the authorizer on the sample event; the verifier logs {@code event} as KeyVerifier would, or fails. */
    private void authorize(Verdict verdict, String event) throws IOException {
        Authorizers.authorize(new ByteArrayInputStream(event("authorize.json")), new ByteArrayOutputStream(),
                new TestContext("lambda-auth"), header -> {
                    if (verdict == null) {
                        throw new DependencyUnavailableException("DynamoDB", new RuntimeException());
                    }
                    Log.info(event, Map.of());
                    return verdict;
                });
    }

    private static byte[] event(String file) throws IOException {
        try (InputStream in = LogLinesTest.class.getResourceAsStream("/events/" + file)) {
            return in.readAllBytes();
        }
    }

    private List<Map<String, Object>> lines() throws IOException {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String text : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!text.isBlank()) {
                lines.add(JSON.std.mapFrom(text));
            }
        }
        return lines;
    }

    /**
     * The metrics a line embeds, {name: {dimension: value}}, after checking it as CloudWatch would:
     * each directive's metrics are numbers on the line, each dimension set names string fields on
     * it, and every metric is also published without dimensions.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> metrics(Map<String, Object> line) {
        Map<String, Object> aws = (Map<String, Object>) line.get("_aws");
        if (aws == null) {
            return Map.of();
        }
        assertInstanceOf(Number.class, aws.get("Timestamp"));
        Map<String, Map<String, Object>> found = new java.util.LinkedHashMap<>();
        for (Map<String, Object> directive : (List<Map<String, Object>>) aws.get("CloudWatchMetrics")) {
            assertEquals("Keyward", directive.get("Namespace"));
            List<List<String>> dimensionSets = (List<List<String>>) directive.get("Dimensions");
            assertEquals(List.of(), dimensionSets.get(0), "published without dimensions for the alarms");
            Map<String, Object> dimensions = new java.util.LinkedHashMap<>();
            for (List<String> set : dimensionSets) {
                for (String key : set) {
                    assertInstanceOf(String.class, line.get(key), key);
                    dimensions.put(key, line.get(key));
                }
            }
            for (Map<String, Object> metric : (List<Map<String, Object>>) directive.get("Metrics")) {
                assertEquals("Count", metric.get("Unit"));
                String name = (String) metric.get("Name");
                assertTrue(line.get(name) instanceof Number, name);
                found.put(name, dimensions);
            }
        }
        return found;
    }
}
