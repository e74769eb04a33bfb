package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.WebhookDelivery;
import dev.keyward.core.WebhookEndpoint;
import dev.keyward.core.WebhookStore;
import dev.keyward.http.WebhookMessages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The local delivery path's parts that need no emulator: its plan, Lambda's SQS event, the console's lines. */
class LocalWebhooksTest {
    private static final Path TEMPLATE = Path.of("../infra/template.yaml");

    @Test
    void the_plan_is_the_templates_and_parks_after_the_delivery_functions_last_attempt() throws IOException {
        LocalWebhooks.Plan plan = LocalWebhooks.Plan.of(CfnYaml.read(TEMPLATE));
        assertEquals(WebhookDelivery.RETRY_DELAYS.size() + 1, plan.maxReceiveCount(),
                "SQS parks a task after exactly as many receives as the function makes attempts");
        assertEquals(10, plan.batchSize());
        assertTrue(plan.visibilityTimeoutSeconds() >= 180, "longer than a batch of ten posts takes");
        assertTrue(plan.retentionSeconds() > 28 * 3600, "longer than the retries take");
    }

    @Test
    void the_stacks_rule_sends_every_keyward_event_to_the_queue_as_the_local_api_does() throws IOException {
        Map<?, ?> rule = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) CfnYaml.read(TEMPLATE).get("Resources"))
                .get("WebhookEventsRule")).get("Properties");
        assertEquals(Map.of("source", List.of(LocalWebhooks.SOURCE)), rule.get("EventPattern"),
                "the local API queues every event, as this rule does; a narrower rule needs the same filter locally");
        assertEquals("WebhookDeliveries", ((Map<?, ?>) ((List<?>) rule.get("Targets")).get(0)).get("Id"));
    }

    @Test
    void an_event_is_queued_in_eventbridges_envelope_and_the_delivery_function_reads_it_back() throws IOException {
        String document = "{\"id\":\"evt_01M97M0RB790FZDTD9T4QEBY6P\",\"type\":\"key.leaked\",\"version\":\"1\","
                + "\"time\":\"2026-12-07T06:45:49.031Z\",\"accountId\":\"acme\",\"keyId\":\"key_01M97M0HJB2MWGDCYK4DXKWR7Y\","
                + "\"clientId\":\"kw_cid_9cNqHa75gxuYyvPahU3UrZ\",\"actor\":{\"type\":\"secret-scanning\",\"id\":null},"
                + "\"data\":{\"action\":\"revoked\",\"url\":null}}";
        String envelope = LocalWebhooks.envelope(document, "123456789012", "us-east-1", Instant.parse("2026-12-07T06:45:50.734Z"));

        Map<String, Object> sent = JSON.std.mapFrom(envelope);
        assertEquals(List.of("0", "dev.keyward", "key.leaked", "123456789012", "us-east-1", "2026-12-07T06:45:50Z", List.of()),
                List.of(sent.get("version"), sent.get("source"), sent.get("detail-type"), sent.get("account"),
                        sent.get("region"), sent.get("time"), sent.get("resources")));
        assertEquals(JSON.std.mapFrom(document), sent.get("detail"));
        assertTrue(java.util.UUID.fromString((String) sent.get("id")) != null);

        WebhookMessages.Message read = WebhookMessages.read(new ByteArrayInputStream(JSON.std.asBytes(
                LocalWebhooks.sqsEvent(List.of(message("m-1", "r-1", envelope, "1")), "arn:aws:sqs:us-east-1:1:q", "us-east-1"))))
                .get(0);
        assertEquals(List.of("acme", "evt_01M97M0RB790FZDTD9T4QEBY6P", "key.leaked"),
                List.of(read.event().accountId(), read.event().eventId(), read.event().type()));
        assertEquals(JSON.std.mapFrom(document), JSON.std.mapFrom(read.event().body()), "the webhook's body is the document");
    }

    @Test
    void a_template_without_the_delivery_queue_is_refused_by_name() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> LocalWebhooks.Plan.of(
                CfnYaml.parse("Resources:\n  WebhookDeliveriesMapping:\n    Properties:\n      BatchSize: 10\n")));
        assertTrue(refused.getMessage().contains("WebhookDeliveries"), refused.getMessage());
    }

    @Test
    void names_follow_the_table_and_suit_sqs() {
        LocalWebhooks.Names names = LocalWebhooks.Names.of("keyward.local");
        assertEquals(new LocalWebhooks.Names("keyward-local-webhook-deliveries", "keyward-local-webhook-deliveries-parked"),
                names);
    }

    @Test
    void the_sqs_event_reads_back_as_the_delivery_function_reads_lambdas() throws IOException {
        String envelope = JSON.std.asString(Map.of("version", "0", "source", "dev.keyward", "detail-type", "key.created",
                "detail", Map.of("id", "evt_01JF3Q8Z6X4M5N7P8Q9R0S1T2V", "type", "key.created", "accountId", "acme")));
        String task = WebhookMessages.encode(new WebhookDelivery.Task("acme", "whk_1", "evt_2", "key.deleted", "{\"id\":\"evt_2\"}"));
        List<Message> received = List.of(
                message("m-1", "r-1", envelope, "1"),
                message("m-2", "r-2", task, "4"));

        byte[] event = JSON.std.asBytes(LocalWebhooks.sqsEvent(received, "arn:aws:sqs:us-east-1:123456789012:q", "us-east-1"));
        List<WebhookMessages.Message> read = WebhookMessages.read(new ByteArrayInputStream(event));

        assertEquals(2, read.size());
        assertEquals(List.of("m-1", "r-1", 1), List.of(read.get(0).messageId(), read.get(0).receipt(), read.get(0).receiveCount()));
        assertEquals("evt_01JF3Q8Z6X4M5N7P8Q9R0S1T2V", read.get(0).event().eventId());
        assertEquals(List.of("m-2", "r-2", 4), List.of(read.get(1).messageId(), read.get(1).receipt(), read.get(1).receiveCount()));
        assertEquals("whk_1", read.get(1).task().endpointId());
        Map<?, ?> record = (Map<?, ?>) ((List<?>) JSON.std.mapFrom(event).get("Records")).get(0);
        assertEquals(List.of("aws:sqs", "arn:aws:sqs:us-east-1:123456789012:q", "us-east-1"),
                List.of(record.get("eventSource"), record.get("eventSourceARN"), record.get("awsRegion")));
    }

    @Test
    void the_failures_are_the_message_ids_the_function_answered() throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        WebhookMessages.writeFailures(List.of("m-2", "m-5"), answer);
        assertEquals(java.util.Set.of("m-2", "m-5"), LocalWebhooks.failures(answer.toByteArray()));
        assertEquals(java.util.Set.of(), LocalWebhooks.failures("{\"batchItemFailures\":[]}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void each_attempt_is_one_line_with_ids_outcome_status_and_the_next_wait() {
        List<String> recorded = new ArrayList<>();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        WebhookDelivery schedule = new WebhookDelivery(null);
        PrintedDeliveries store = new PrintedDeliveries(recordingStore(recorded), schedule::waitAfter,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        Instant at = Instant.parse("2026-12-07T10:00:00Z");

        store.recordDelivery("acme", "whk_1", new WebhookEndpoint.Delivery("evt_1", "key.created", at, 1,
                WebhookEndpoint.Outcome.RETRYING, 500, "http_status"));
        store.recordDelivery("acme", "whk_1", new WebhookEndpoint.Delivery("evt_1", "key.created", at, 5,
                WebhookEndpoint.Outcome.RETRYING, null, "timeout"));
        store.recordDelivery("acme", "whk_1", new WebhookEndpoint.Delivery("evt_1", "key.created", at, 6,
                WebhookEndpoint.Outcome.DELIVERED, 204, null));
        store.recordDelivery("acme", "whk_2", new WebhookEndpoint.Delivery("evt_3", "key.leaked", at, 10,
                WebhookEndpoint.Outcome.PARKED, null, "connection_refused"));

        assertEquals(List.of(
                "webhook retrying key.created evt_1 -> acme/whk_1 attempt 1: HTTP 500, next attempt in 30 s",
                "webhook retrying key.created evt_1 -> acme/whk_1 attempt 5: timeout, next attempt in 1 h",
                "webhook delivered key.created evt_1 -> acme/whk_1 attempt 6: HTTP 204",
                "webhook parked key.leaked evt_3 -> acme/whk_2 attempt 10: connection_refused, parked in the dead-letter queue"),
                printed.toString(StandardCharsets.UTF_8).lines().toList());
        assertEquals(List.of("whk_1 1", "whk_1 5", "whk_1 6", "whk_2 10"), recorded, "each attempt is recorded too");
    }

    @Test
    void waits_read_as_people_write_them() {
        assertEquals(List.of("30 s", "2 min", "10 min", "1 h", "12 h", "90 s"), List.of(
                PrintedDeliveries.words(Duration.ofSeconds(30)), PrintedDeliveries.words(Duration.ofMinutes(2)),
                PrintedDeliveries.words(Duration.ofMinutes(10)), PrintedDeliveries.words(Duration.ofHours(1)),
                PrintedDeliveries.words(Duration.ofHours(12)), PrintedDeliveries.words(Duration.ofSeconds(90))));
    }

    private static Message message(String id, String receipt, String body, String receiveCount) {
        return Message.builder().messageId(id).receiptHandle(receipt).body(body).md5OfBody("md5")
                .attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, receiveCount,
                        MessageSystemAttributeName.SENT_TIMESTAMP, "1796625261296"))
                .build();
    }

    private static WebhookStore recordingStore(List<String> recorded) {
        return new WebhookStore() {
            @Override
            public boolean insert(WebhookEndpoint endpoint) {
                return true;
            }

            @Override
            public Optional<WebhookEndpoint> find(String accountId, String endpointId) {
                return Optional.empty();
            }

            @Override
            public List<WebhookEndpoint> list(String accountId) {
                return List.of();
            }

            @Override
            public boolean delete(String accountId, String endpointId) {
                return false;
            }

            @Override
            public void recordDelivery(String accountId, String endpointId, WebhookEndpoint.Delivery delivery) {
                recorded.add(endpointId + " " + delivery.attempt());
            }
        };
    }

    @Test
    void a_failed_test_event_without_a_status_or_error_says_so() {
        String line = PrintedDeliveries.line("acme", "whk_1", new WebhookEndpoint.Delivery("evt_1", "key.created",
                Instant.EPOCH, 1, WebhookEndpoint.Outcome.FAILED, null, null), attempt -> Duration.ZERO);
        assertEquals("webhook failed key.created evt_1 -> acme/whk_1 attempt 1: no answer", line);
    }
}
