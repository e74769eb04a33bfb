package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.jr.ob.JSON;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.keyward.aws.KeysTable;
import dev.keyward.core.LeakFeedback;
import dev.keyward.core.LeakReport;
import dev.keyward.core.TestClock;
import dev.keyward.core.UseCases;
import dev.keyward.events.EventBridgeSink;
import dev.keyward.events.EventSink;
import dev.keyward.events.StreamPoller;
import dev.keyward.handler.PublishEventsHandler;
import dev.keyward.it.AwsEnvironment.Aws;
import dev.keyward.runtime.Keyward;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The events: written in the transaction of each change, read from the table's stream through the
 * SDK against the emulator, each checked against infra/events.schema.json; none for a write that
 * did not commit, the same one (same id) however often it is delivered.
 */
@ExtendWith(AwsEnvironment.class)
class EventsIT {
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(read(Path.of("..", "infra", "events.schema.json")));
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final List<String> published = new ArrayList<>();
    private Aws aws;
    private Api api;
    private DynamoDbStreamsClient streams;
    private StreamPoller poller;

    @BeforeEach
    void setUp(Aws aws) {
        this.aws = aws;
        api = new Api(aws.service(clock));
        streams = DynamoDbStreamsClient.builder().region(aws.settings().region())
                .endpointOverride(aws.settings().endpoint().orElseThrow())
                .credentialsProvider(aws.settings().credentials()).build();
        poller = poller(published::addAll);
        poller.poll(); // what earlier tests of this class left on the stream
        published.clear();
    }

    @AfterEach
    void tearDown() {
        streams.close();
    }

    private StreamPoller poller(EventSink sink) {
        return new StreamPoller(streams, KeysTable.streamArn(aws.clients().dynamoDb(), aws.settings().tableName()), sink);
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> map(String json) {
        try {
            return JSON.std.mapFrom(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertValid(String event) {
        try {
            JsonNode node = MAPPER.readTree(event);
            Set<ValidationMessage> errors = SCHEMA.validate(node);
            assertTrue(errors.isEmpty(), event + " " + errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> typesOf(String keyId) {
        return published.stream().map(EventsIT::map).filter(e -> keyId.equals(e.get("keyId")))
                .map(e -> (String) e.get("type")).toList();
    }

    @Test
    void everyChange_shouldPublishOneEvent_validAgainstTheSchema_withNoSecretAndNoName() {
        Map<String, Object> created = Api.json(api.create.handleRequest(Events.create("acme-ev",
                "{\"name\":\"Warehouse Dashboard\",\"expiresAt\":\"2026-12-07T10:00:00Z\",\"scopes\":[\"orders:read\"],"
                        + "\"allowedCidrs\":[\"10.0.0.0/8\"]}"), null));
        String keyId = (String) created.get("id");
        List<String> secrets = new ArrayList<>(List.of((String) created.get("clientSecret")));
        assertEquals(200, api.rename.handleRequest(Events.rename("acme-ev", keyId, "{\"name\":\"Renamed\"}"), null).getStatusCode());
        assertEquals(200, api.rename.handleRequest(Events.rename("acme-ev", keyId,
                "{\"expiresAt\":\"2026-12-08T10:00:00Z\",\"scopes\":[\"orders:write\"]}"), null).getStatusCode());
        assertEquals(200, api.rename.handleRequest(Events.rename("acme-ev", keyId,
                "{\"enabled\":false,\"allowedCidrs\":[]}"), null).getStatusCode());
        assertEquals(200, api.rename.handleRequest(Events.rename("acme-ev", keyId, "{\"enabled\":true}"), null)
                .getStatusCode());
        secrets.add((String) api.rotateKey("acme-ev", keyId, 60).get("clientSecret"));
        assertEquals(200, api.get.handleRequest(Events.get("acme-ev", keyId), null).getStatusCode());
        assertEquals(200, api.updateSettings.handleRequest(Events.updateSettings("acme-ev",
                "{\"expiredKeyRetentionDays\":30,\"maxKeyLifetimeDays\":null,\"requireScopes\":false}"), null).getStatusCode());
        // the sweep, 6 days on: the 7-day warning; then once it passed
        UseCases later = aws.service(clock);
        clock.advance(Duration.ofDays(5));
        assertEquals(1, later.housekeeping().announceExpiries());
        clock.advance(Duration.ofDays(7));
        later.housekeeping().announceExpiries();
        assertEquals(0, later.housekeeping().announceExpiries(), "each once");
        assertEquals(204, api.delete.handleRequest(Events.delete("acme-ev", keyId), null).getStatusCode());
        // a leak reported of another key: revoked, as the account's policy is
        Map<String, Object> leaked = api.createKey("acme-ev", "Leaked");
        secrets.add((String) leaked.get("clientSecret"));
        List<LeakFeedback> answers = Keyward.leakResponder(aws.settings(), aws.clients(), later.ports(), clock)
                .respond(List.of(new LeakReport((String) leaked.get("clientSecret"), "keyward_client_secret",
                        "https://github.com/acme/app/blob/main/.env", "content")));
        assertEquals(LeakFeedback.Label.TRUE_POSITIVE, answers.get(0).label());

        assertTrue(poller.poll() > 0);

        assertEquals(List.of("key.created", "key.updated", "key.updated", "key.updated", "key.updated", "key.rotated",
                "key.secret_viewed",
                "key.expiring", "key.expired", "key.deleted"), typesOf(keyId), "6 days left when the sweep first saw it: one warning");
        assertEquals(List.of("key.created", "key.deleted", "key.leaked"), typesOf((String) leaked.get("id")));
        List<Map<String, Object>> settings = published.stream().map(EventsIT::map)
                .filter(e -> "settings.updated".equals(e.get("type"))).toList();
        assertEquals(1, settings.size());
        assertEquals(Map.of("changed", List.of("expiredKeyRetentionDays", "maxKeyLifetimeDays", "requireScopes")),
                settings.get(0).get("data"));
        published.forEach(EventsIT::assertValid);
        for (String event : published) {
            for (String secret : secrets) {
                assertFalse(event.contains(secret), "a secret in " + event);
            }
            assertFalse(event.contains("Warehouse") || event.contains("Renamed"), "a key's name in " + event);
        }
        assertEquals(published.size(), published.stream().map(e -> map(e).get("id")).distinct().count(), "one id each");
        Map<String, Object> leak = published.stream().map(EventsIT::map).filter(e -> "key.leaked".equals(e.get("type")))
                .findFirst().orElseThrow();
        assertEquals(Map.of("action", "revoked", "url", "https://github.com/acme/app/blob/main/.env"), leak.get("data"));
        assertEquals(Map.of("type", "secret-scanning"), withoutNulls(leak.get("actor")));
        List<Object> updates = published.stream().map(EventsIT::map)
                .filter(e -> "key.updated".equals(e.get("type")) && keyId.equals(e.get("keyId"))).map(e -> e.get("data")).toList();
        assertEquals(Map.of("changed", List.of("enabled", "allowedCidrs"), "enabled", false), updates.get(2));
        assertEquals(Map.of("changed", List.of("enabled"), "enabled", true), updates.get(3));
        assertEquals(List.of("10.0.0.0/8"), ((Map<?, ?>) map(published.stream().filter(e -> map(e).get("type")
                .equals("key.created") && keyId.equals(map(e).get("keyId"))).findFirst().orElseThrow()).get("data"))
                .get("allowedCidrs"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutNulls(Object map) {
        return ((Map<String, Object>) map).entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCrashBetweenCommitAndPublication_shouldStillYieldExactlyOneEvent_withTheSameId() {
        String keyId = (String) api.createKey("acme-crash", "Crash").get("id");
        List<List<String>> attempts = new ArrayList<>();
        StreamPoller crashing = poller(events -> {
            attempts.add(List.copyOf(events));
            if (attempts.size() == 1) {
                throw new IllegalStateException("the publisher died before EventBridge took the batch");
            }
            published.addAll(events);
        });

        assertThrows(IllegalStateException.class, crashing::poll);
        assertTrue(published.isEmpty());
        crashing.poll();
        crashing.poll();

        assertEquals(List.of("key.created"), typesOf(keyId), "exactly one, though delivered twice");
        String id = idOf(keyId, published);
        assertEquals(id, idOf(keyId, attempts.get(0)), "the redelivery carries the first attempt's id");
        String audited = (String) ((List<Map<String, Object>>) (List<?>) Api.json(api.audit.handleRequest(
                Events.audit("acme-crash", Map.of()), null)).get("events")).get(0).get("id");
        assertEquals(audited, id, "the event is the audit trail's entry");
    }

    private static String idOf(String keyId, List<String> events) {
        return events.stream().map(EventsIT::map).filter(e -> keyId.equals(e.get("keyId")))
                .map(e -> (String) e.get("id")).findFirst().orElseThrow();
    }

    @Test
    void aWriteThatDidNotCommit_shouldYieldNoEvent() {
        UseCases oneKeyOnly = aws.service(1);
        oneKeyOnly.creation().create("acme-refused", UseCases.newKey("acme-refused", "First", null, null), null);
        assertThrows(RuntimeException.class, () -> oneKeyOnly.creation()
                .create("acme-refused", UseCases.newKey("acme-refused", "Second", null, null), null));
        assertEquals(404, api.rename.handleRequest(Events.rename("acme-refused", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3",
                "{\"name\":\"Nobody\"}"), null).getStatusCode());

        poller.poll();

        List<String> types = published.stream().map(EventsIT::map).filter(e -> "acme-refused".equals(e.get("accountId")))
                .map(e -> (String) e.get("type")).toList();
        assertEquals(List.of("key.created"), types, "the refused create and the rename of no key wrote none");
    }

    @Test
    void thePublisher_shouldSendEachEventToEventBridge_andTheSameIdOnARedelivery() throws IOException {
        String keyId = (String) api.createKey("acme-bus", "Bus").get("id");
        poller.poll();
        String document = published.stream().filter(e -> keyId.equals(map(e).get("keyId"))).findFirst().orElseThrow();
        try (EventBridgeClient bridge = EventBridgeClient.builder().region(aws.settings().region())
                .endpointOverride(aws.settings().endpoint().orElseThrow()).credentialsProvider(aws.settings().credentials()).build();
             SqsClient sqs = SqsClient.builder().region(aws.settings().region())
                     .endpointOverride(aws.settings().endpoint().orElseThrow()).credentialsProvider(aws.settings().credentials()).build()) {
            String queueUrl = sqs.createQueue(q -> q.queueName("keyward-events-it")).queueUrl();
            String queueArn = sqs.getQueueAttributes(a -> a.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                    .attributesAsStrings().get("QueueArn");
            bridge.createEventBus(b -> b.name("keyward-it"));
            bridge.putRule(r -> r.name("keys").eventBusName("keyward-it")
                    .eventPattern("{\"source\":[\"dev.keyward\"],\"detail-type\":[\"key.created\"]}"));
            bridge.putTargets(t -> t.rule("keys").eventBusName("keyward-it").targets(x -> x.id("queue").arn(queueArn)));
            PublishEventsHandler publisher = new PublishEventsHandler(new EventBridgeSink(bridge, "keyward-it"));
            Map<String, Object> record = Map.of("eventName", "INSERT", "dynamodb", Map.of("NewImage",
                    Map.of("event", Map.of("S", document), "pk", Map.of("S", "AUDIT#acme-bus"))));
            byte[] batch = JSON.std.asBytes(Map.of("Records", List.of(record, Map.of("eventName", "MODIFY"))));

            for (int delivery = 0; delivery < 2; delivery++) { // Lambda delivers a batch again after a failure
                publisher.handleRequest(new ByteArrayInputStream(batch), new ByteArrayOutputStream(), null);
            }

            List<Map<String, Object>> received = new ArrayList<>();
            for (int i = 0; i < 5 && received.size() < 2; i++) {
                sqs.receiveMessage(m -> m.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()
                        .forEach(message -> received.add(map(message.body())));
            }
            assertEquals(2, received.size());
            for (Map<String, Object> event : received) {
                assertEquals(List.of("dev.keyward", "key.created"), List.of(event.get("source"), event.get("detail-type")));
                assertEquals(map(document), event.get("detail"));
            }
        }
    }
}
