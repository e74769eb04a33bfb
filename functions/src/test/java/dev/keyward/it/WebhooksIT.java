package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.aws.AwsClients;
import dev.keyward.aws.HttpWebhookSender;
import dev.keyward.aws.SecretsManagerWebhookSecrets;
import dev.keyward.core.DeliveryQueue;
import dev.keyward.core.HostResolver;
import dev.keyward.core.WebhookDelivery;
import dev.keyward.core.WebhookEndpoint;
import dev.keyward.core.WebhookPorts;
import dev.keyward.core.WebhookUrls;
import dev.keyward.handler.CreateWebhookHandler;
import dev.keyward.handler.DeleteWebhookHandler;
import dev.keyward.handler.DeliverWebhooksHandler;
import dev.keyward.handler.GetWebhookHandler;
import dev.keyward.handler.ListWebhooksHandler;
import dev.keyward.handler.RotateWebhookSecretHandler;
import dev.keyward.handler.TestWebhookHandler;
import dev.keyward.invoke.StreamHandlers;
import dev.keyward.runtime.Keyward;
import dev.keyward.telemetry.JsonEventLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Webhook endpoints through their handlers over moto (DynamoDB, Secrets Manager, SQS), and
 * deliveries through the delivery function fed from a real SQS queue with a dead-letter queue, as
 * Lambda's event source mapping feeds it, to local/webhook_receiver.py, which verifies each one
 * with the Standard Webhooks reference library.
 */
@ExtendWith(AwsEnvironment.class)
class WebhooksIT {
    /** The tests' retry schedule: four attempts a second apart, the last parks. */
    private static final List<Duration> DELAYS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
    private static final int ATTEMPTS = DELAYS.size() + 1;
    private static int queues;

    private final AwsEnvironment.Aws aws;
    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterUrl;
    private final PrintStream stdout = System.out;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final List<WebhookReceiver> receivers = new ArrayList<>();

    WebhooksIT(AwsEnvironment.Aws aws) {
        this.aws = aws;
        this.sqs = aws.clients().sqs();
        String name = "webhooks-it-" + (++queues) + "-" + System.nanoTime();
        deadLetterUrl = sqs.createQueue(c -> c.queueName(name + "-parked")).queueUrl();
        String deadLetterArn = sqs.getQueueAttributes(g -> g.queueUrl(deadLetterUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        queueUrl = sqs.createQueue(c -> c.queueName(name).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "30",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + deadLetterArn
                        + "\",\"maxReceiveCount\":\"" + ATTEMPTS + "\"}"))).queueUrl();
    }

    @BeforeEach
    void captureLog() {
        System.setOut(new PrintStream(logged, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(stdout);
        receivers.forEach(WebhookReceiver::close);
    }

    /**
     * The ports as the local API builds them (loopback allowed, so the receiver on this machine can be
     * used), with a 2-second timeout for each POST: the receiver's "timeout" answers after 3.
     */
    private WebhookPorts localPorts() {
        WebhookPorts local = Keyward.webhooks(aws.settings(), aws.clients(), Clock.systemUTC(), true);
        return new WebhookPorts(local.store(), local.secrets(), local.urls(), new HttpWebhookSender(Duration.ofSeconds(2)),
                Clock.systemUTC(), new JsonEventLog());
    }

    /** The ports as a deployed function builds them. */
    private WebhookPorts deployedPorts() {
        return Keyward.webhooks(aws.settings(), aws.clients(), Clock.systemUTC(), false);
    }

    @Test
    void registering_answers_the_secret_once_and_no_read_or_stored_item_holds_it() throws IOException {
        WebhookPorts ports = localPorts();
        Map<String, Object> created = call(new CreateWebhookHandler(ports), "POST", "/accounts/acme-reg/webhooks",
                Map.of("accountId", "acme-reg"), "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"key.deleted\",\"key.created\"]}", 201);
        String id = (String) created.get("id");
        String secret = (String) created.get("secret");
        assertTrue(secret.matches("whsec_[A-Za-z0-9+/]{43}="), "a Standard Webhooks secret: whsec_ + base64 of 32 bytes");
        assertEquals(List.of("key.created", "key.deleted"), created.get("events"));

        Map<String, Object> read = call(new GetWebhookHandler(ports), "GET", "/accounts/acme-reg/webhooks/" + id,
                Map.of("accountId", "acme-reg", "webhookId", id), null, 200);
        assertFalse(read.containsKey("secret"));
        String listed = raw(new ListWebhooksHandler(ports), "GET", "/accounts/acme-reg/webhooks",
                Map.of("accountId", "acme-reg"), null).getBody();
        assertTrue(listed.contains(id) && !listed.contains("whsec_"));

        Map<String, Object> rotated = call(new RotateWebhookSecretHandler(ports), "POST",
                "/accounts/acme-reg/webhooks/" + id + "/rotate-secret", Map.of("accountId", "acme-reg", "webhookId", id), null, 200);
        String newSecret = (String) rotated.get("secret");
        assertTrue(newSecret.startsWith("whsec_") && !newSecret.equals(secret));
        Instant until = Instant.parse((String) rotated.get("previousSecretValidUntil"));
        assertTrue(Duration.between(Instant.now(), until).minusSeconds(86_400).abs().getSeconds() < 30,
                "by default the previous secret keeps signing for a day: " + until);
        // both in the endpoint's one Secrets Manager secret, never in the table (checked below)
        assertEquals(Map.of("current", newSecret, "previous", secret, "previousUntil", until.toString()),
                parse(aws.clients().secretsManager().getSecretValue(g -> g.secretId(
                        SecretsManagerWebhookSecrets.secretName("acme-reg", id))).secretString()));

        for (Map<String, AttributeValue> item : aws.clients().dynamoDb().scan(s -> s.tableName(aws.settings().tableName())).items()) {
            assertFalse(item.toString().contains("whsec_") || item.toString().contains(secret.substring(6))
                    || item.toString().contains(newSecret.substring(6)), "a stored item holds a secret: " + item);
        }

        raw(new DeleteWebhookHandler(ports), "DELETE", "/accounts/acme-reg/webhooks/" + id,
                Map.of("accountId", "acme-reg", "webhookId", id), null);
        assertEquals(404, raw(new GetWebhookHandler(ports), "GET", "/accounts/acme-reg/webhooks/" + id,
                Map.of("accountId", "acme-reg", "webhookId", id), null).getStatusCode());
        assertTrue(aws.clients().secretsManager().listSecrets().secretList().stream()
                .noneMatch(s -> s.name().equals(SecretsManagerWebhookSecrets.secretName("acme-reg", id))));
        assertNoSecretLogged(secret, newSecret);
    }

    @Test
    void during_a_rotations_overlap_a_receiver_with_either_secret_verifies_and_after_it_only_the_new_one() throws Exception {
        WebhookReceiver receiver = receiver(0);
        WebhookPorts ports = localPorts();
        Map<String, Object> endpoint = register(ports, "acme-overlap", receiver.url.toString(), "key.deleted");
        String id = (String) endpoint.get("id");
        String old = (String) endpoint.get("secret");
        Map<String, Object> rotated = call(new RotateWebhookSecretHandler(ports), "POST", "",
                Map.of("accountId", "acme-overlap", "webhookId", id), "{\"overlapSeconds\":3}", 200);
        String fresh = (String) rotated.get("secret");
        Instant until = Instant.parse((String) rotated.get("previousSecretValidUntil"));
        // a receiver that holds only the old secret, and one that holds only the new one
        receiver.control(old, List.of(), 3.0, List.of(old, fresh));

        // during the overlap: a test event and a queued event, each signed with both
        call(new TestWebhookHandler(ports), "POST", "", Map.of("accountId", "acme-overlap", "webhookId", id), null, 200);
        sendEvent(event("acme-overlap", "key.deleted"));
        pump(ports, Duration.ofSeconds(20), () -> receiver.deliveries().size() >= 2);
        assertTrue(Instant.now().isBefore(until), "the deliveries were made during the overlap");
        for (Map<String, Object> delivery : receiver.deliveries()) {
            assertEquals(List.of(true, true), delivery.get("verifiedEach"), "during the overlap: " + delivery);
            assertEquals(2, ((String) delivery.get("signature")).split(" ").length);
        }

        // after it: only the new secret verifies
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), until).toMillis()) + 200);
        call(new TestWebhookHandler(ports), "POST", "", Map.of("accountId", "acme-overlap", "webhookId", id), null, 200);
        sendEvent(event("acme-overlap", "key.deleted"));
        pump(ports, Duration.ofSeconds(20), () -> receiver.deliveries().size() >= 4);
        List<Map<String, Object>> after = receiver.deliveries().subList(2, 4);
        for (Map<String, Object> delivery : after) {
            assertEquals(List.of(false, true), delivery.get("verifiedEach"), "after the overlap: " + delivery);
            assertEquals(1, ((String) delivery.get("signature")).split(" ").length);
        }
        assertNoSecretLogged(old, fresh);
    }

    @Test
    void an_overlap_of_zero_stops_the_old_secret_at_once() throws IOException {
        WebhookReceiver receiver = receiver(0);
        WebhookPorts ports = localPorts();
        Map<String, Object> endpoint = register(ports, "acme-now", receiver.url.toString(), "key.deleted");
        String id = (String) endpoint.get("id");
        String old = (String) endpoint.get("secret");
        Map<String, Object> rotated = call(new RotateWebhookSecretHandler(ports), "POST", "",
                Map.of("accountId", "acme-now", "webhookId", id), "{\"overlapSeconds\":0}", 200);
        assertTrue(rotated.containsKey("previousSecretValidUntil") && rotated.get("previousSecretValidUntil") == null);
        receiver.control(old, List.of(), 3.0, List.of(old, (String) rotated.get("secret")));
        call(new TestWebhookHandler(ports), "POST", "", Map.of("accountId", "acme-now", "webhookId", id), null, 200);
        assertEquals(List.of(false, true), receiver.deliveries().get(0).get("verifiedEach"));
        assertEquals(rotated.get("secret"), aws.clients().secretsManager().getSecretValue(g -> g.secretId(
                SecretsManagerWebhookSecrets.secretName("acme-now", id))).secretString());
    }

    @Test
    void of_two_rotations_at_once_one_is_answered_and_stored_and_the_other_refused_with_409() throws IOException {
        AtomicReference<Runnable> meanwhile = new AtomicReference<>();
        // the other admin's rotation runs whole between this rotation's read and its first write
        ExecutionInterceptor between = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutSecretValueRequest) {
                    Runnable other = meanwhile.getAndSet(null);
                    if (other != null) {
                        other.run();
                    }
                }
            }
        };
        try (AwsClients clients = aws.clientsWith(between)) {
            WebhookPorts ports = Keyward.webhooks(aws.settings(), clients, Clock.systemUTC(), true);
            Map<String, Object> endpoint = register(ports, "acme-race", "http://127.0.0.1:9/hook", "key.deleted");
            Map<String, Object> path = Map.of("accountId", "acme-race", "webhookId", endpoint.get("id"));
            List<Map<String, Object>> answered = new ArrayList<>();
            meanwhile.set(() -> {
                try {
                    answered.add(call(new RotateWebhookSecretHandler(ports), "POST", "", path, "{}", 200));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

            APIGatewayProxyResponseEvent refused = raw(new RotateWebhookSecretHandler(ports), "POST", "", path, "{}");

            assertEquals(409, refused.getStatusCode(), refused.getBody());
            assertEquals("webhook_rotation_conflict", parse(refused.getBody()).get("code"));
            assertEquals(1, answered.size());
            Map<String, Object> inForce = parse(aws.clients().secretsManager().getSecretValue(g -> g.secretId(
                    SecretsManagerWebhookSecrets.secretName("acme-race", (String) endpoint.get("id")))).secretString());
            assertEquals(answered.get(0).get("secret"), inForce.get("current"), "the secret answered is the one in force");
            assertEquals(endpoint.get("secret"), inForce.get("previous"), "beside the one both rotations replaced");
            assertNoSecretLogged((String) answered.get(0).get("secret"), (String) endpoint.get("secret"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"overlapSeconds\":-1}", "{\"overlapSeconds\":86401}", "{\"overlapSeconds\":1.5}",
            "{\"overlapSeconds\":\"60\"}", "{\"overlapSeconds\":null}", "{\"overlapSeconds\":1e400}"})
    void an_overlap_that_is_not_0_to_86400_seconds_is_refused_and_nothing_changes(String body) throws IOException {
        WebhookPorts ports = localPorts();
        Map<String, Object> endpoint = register(ports, "acme-bad-overlap", "http://127.0.0.1:9/hook", "key.deleted");
        String id = (String) endpoint.get("id");
        APIGatewayProxyResponseEvent response = raw(new RotateWebhookSecretHandler(ports), "POST", "",
                Map.of("accountId", "acme-bad-overlap", "webhookId", id), body);
        assertEquals(400, response.getStatusCode(), response.getBody());
        assertEquals("invalid_overlap_seconds", parse(response.getBody()).get("code"));
        assertEquals(endpoint.get("secret"), aws.clients().secretsManager().getSecretValue(g -> g.secretId(
                SecretsManagerWebhookSecrets.secretName("acme-bad-overlap", id))).secretString());
        assertEquals("unknown_field", parse(raw(new RotateWebhookSecretHandler(ports), "POST", "",
                Map.of("accountId", "acme-bad-overlap", "webhookId", id), "{\"graceSeconds\":60}").getBody()).get("code"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/hook", "https://10.0.0.8/hook", "https://172.16.5.4/", "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data/", "https://100.64.0.1/", "https://0.0.0.0/",
            "https://[::1]/hook", "https://[fe80::1]/", "https://[fd00:ec2::254]/", "https://[fc00::5]/",
            "https://[::ffff:127.0.0.1]/", "https://[::ffff:10.0.0.1]/", "https://[::ffff:a9fe:a9fe]/",
            "https://localhost/hook", "https://localhost:8443/hook",
            "http://8.8.8.8/hook", "ftp://8.8.8.8/", "https://user:pass@8.8.8.8/", "/relative"})
    void a_deployed_function_refuses_urls_that_are_not_https_to_a_public_address(String url) throws IOException {
        APIGatewayProxyResponseEvent response = raw(new CreateWebhookHandler(deployedPorts()), "POST",
                "/accounts/acme-ssrf/webhooks", Map.of("accountId", "acme-ssrf"),
                "{\"url\":" + JSON.std.asString(url) + ",\"events\":[\"key.deleted\"]}");
        assertEquals(400, response.getStatusCode(), response.getBody());
        assertEquals("invalid_webhook_url", JSON.std.mapFrom(response.getBody()).get("code"));
        assertTrue(deployedPorts().store().list("acme-ssrf").isEmpty());
    }

    @Test
    void unknown_event_types_are_refused() throws IOException {
        APIGatewayProxyResponseEvent response = raw(new CreateWebhookHandler(localPorts()), "POST",
                "/accounts/acme-types/webhooks", Map.of("accountId", "acme-types"),
                "{\"url\":\"http://127.0.0.1:9/\",\"events\":[\"key.exploded\"]}");
        assertEquals(400, response.getStatusCode());
        assertEquals("invalid_webhook_events", JSON.std.mapFrom(response.getBody()).get("code"));
    }

    @Test
    void a_receiver_that_fails_then_answers_gets_the_event_with_one_webhook_id_every_time_verified() throws IOException {
        WebhookReceiver receiver = receiver(0);
        WebhookPorts ports = localPorts();
        Map<String, Object> endpoint = register(ports, "acme-retry", receiver.url.toString(), "key.deleted");
        receiver.control((String) endpoint.get("secret"), List.of("500", "timeout", "close", "200"), 3.0);
        String event = event("acme-retry", "key.deleted");
        sendEvent(event);

        pump(ports, Duration.ofSeconds(60), () -> receiver.deliveries().size() >= 4);

        List<Map<String, Object>> deliveries = receiver.deliveries();
        assertEquals(4, deliveries.size());
        String eventId = (String) ((Map<?, ?>) parse(event).get("detail")).get("id");
        for (Map<String, Object> delivery : deliveries) {
            assertEquals(eventId, delivery.get("webhookId"));
            assertEquals(Boolean.TRUE, delivery.get("verified"), "the reference library refused: " + delivery.get("error"));
            assertEquals(parse(event).get("detail"), parse((String) delivery.get("body")));
            assertFalse(((String) delivery.get("body")).contains("whsec_"));
        }
        List<String> answered = deliveries.stream().map(d -> (String) d.get("answered")).toList();
        assertEquals(List.of("500", "timeout", "close", "200"), answered);
        Map<?, ?> last = (Map<?, ?>) call(new GetWebhookHandler(ports), "GET", "", Map.of("accountId", "acme-retry",
                "webhookId", endpoint.get("id")), null, 200).get("lastDelivery");
        assertEquals("delivered", last.get("outcome"));
        assertEquals(4, last.get("attempt"));
        assertEquals(200, last.get("responseStatus"));
        List<?> recent = (List<?>) get(ports, "acme-retry", (String) endpoint.get("id")).get("recentDeliveries");
        assertEquals(List.of(4, 3, 2, 1), recent.stream().map(d -> ((Map<?, ?>) d).get("attempt")).toList(),
                "every attempt, newest first: " + recent);
        assertEquals(java.util.Arrays.asList("delivered", "retrying", "retrying", "retrying"),
                recent.stream().map(d -> ((Map<?, ?>) d).get("outcome")).toList());
        assertEquals(java.util.Arrays.asList(200, null, null, 500),
                recent.stream().map(d -> ((Map<?, ?>) d).get("responseStatus")).toList());
        assertEquals(java.util.Arrays.asList(null, "connection_failed", "timeout", "http_status"),
                recent.stream().map(d -> ((Map<?, ?>) d).get("error")).toList());
        assertEquals(0, visibleMessages(deadLetterUrl));
        assertNoSecretLogged((String) endpoint.get("secret"));
    }

    @Test
    void attempts_recorded_at_the_same_time_are_all_kept_and_only_the_ten_newest_stay() throws Exception {
        WebhookPorts ports = localPorts();
        Map<String, Object> endpoint = register(ports, "acme-recent", "http://127.0.0.1:9/hook", "key.created");
        String id = (String) endpoint.get("id");
        Instant start = Instant.parse("2025-03-01T10:00:00Z");

        List<WebhookEndpoint.Delivery> first = recordAtOnce(ports, "acme-recent", id, start, 10);
        List<?> recent = (List<?>) get(ports, "acme-recent", id).get("recentDeliveries");
        assertEquals(10, recent.size(), "every attempt recorded at the same time is kept: " + recent);
        assertEquals(eventIds(first), eventIdsOf(recent));
        assertEquals(first.get(0).eventId(), ((Map<?, ?>) get(ports, "acme-recent", id).get("lastDelivery")).get("eventId"));

        // ten more, later: only the ten newest stay, newest first
        List<WebhookEndpoint.Delivery> second = recordAtOnce(ports, "acme-recent", id, start.plusSeconds(60), 10);
        recent = (List<?>) get(ports, "acme-recent", id).get("recentDeliveries");
        assertEquals(eventIds(second), eventIdsOf(recent));
        Map<?, ?> newest = (Map<?, ?>) recent.get(0);
        assertEquals(Map.of("eventId", second.get(0).eventId(), "eventType", "key.created",
                "at", second.get(0).at().toString(), "attempt", 1, "outcome", "retrying", "responseStatus", 503,
                "error", "http_status"), newest);
        Map<String, AttributeValue> item = endpointItem("acme-recent", id);
        assertEquals(10, item.get("recentDeliveries").l().size(), "the item holds ten attempts, no more");
        assertFalse(item.containsKey("lastEventId"));
    }

    @Test
    void an_endpoint_written_with_only_its_latest_delivery_shows_it_and_keeps_it_among_the_recent_ones() throws IOException {
        WebhookPorts ports = localPorts();
        Map<String, Object> endpoint = register(ports, "acme-legacy", "http://127.0.0.1:9/hook", "key.created");
        String id = (String) endpoint.get("id");
        Map<String, AttributeValue> item = new HashMap<>(endpointItem("acme-legacy", id));
        item.put("lastEventId", AttributeValue.fromS("evt_01JD8X3QH7ZK2M4N6P8R0T2V4W"));
        item.put("lastEventType", AttributeValue.fromS("key.created"));
        item.put("lastAttemptAt", AttributeValue.fromS("2025-03-01T09:00:00Z"));
        item.put("lastAttempt", AttributeValue.fromN("10"));
        item.put("lastOutcome", AttributeValue.fromS("parked"));
        item.put("lastError", AttributeValue.fromS("timeout"));
        aws.clients().dynamoDb().putItem(p -> p.tableName(aws.settings().tableName()).item(item));
        Map<String, Object> legacy = new LinkedHashMap<>();
        legacy.put("eventId", "evt_01JD8X3QH7ZK2M4N6P8R0T2V4W");
        legacy.put("eventType", "key.created");
        legacy.put("at", "2025-03-01T09:00:00Z");
        legacy.put("attempt", 10);
        legacy.put("outcome", "parked");
        legacy.put("responseStatus", null);
        legacy.put("error", "timeout");
        assertEquals(legacy, get(ports, "acme-legacy", id).get("lastDelivery"));
        assertEquals(List.of(legacy), get(ports, "acme-legacy", id).get("recentDeliveries"));

        WebhookEndpoint.Delivery next = new WebhookEndpoint.Delivery("evt_01JD8X3QH7ZK2M4N6P8R0T2V4X", "key.created",
                Instant.parse("2025-03-01T10:00:00Z"), 1, WebhookEndpoint.Outcome.DELIVERED, 204, null);
        ports.store().recordDelivery("acme-legacy", id, next);
        List<?> recent = (List<?>) get(ports, "acme-legacy", id).get("recentDeliveries");
        assertEquals(List.of("evt_01JD8X3QH7ZK2M4N6P8R0T2V4X", "evt_01JD8X3QH7ZK2M4N6P8R0T2V4W"), eventIdsOf(recent));
        assertFalse(endpointItem("acme-legacy", id).containsKey("lastEventId"), "the legacy attributes are gone");
    }

    @Test
    void a_receiver_that_refuses_connections_gets_the_event_once_it_listens() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        WebhookPorts ports = localPorts();
        Map<String, Object> endpoint = register(ports, "acme-refused", "http://127.0.0.1:" + port + "/hook", "key.created");
        sendEvent(event("acme-refused", "key.created"));
        pump(ports, Duration.ofSeconds(20), () -> lastDelivery(ports, "acme-refused", endpoint) != null
                && ((Integer) lastDelivery(ports, "acme-refused", endpoint).get("attempt")) >= 2);
        Map<?, ?> failed = lastDelivery(ports, "acme-refused", endpoint);
        assertEquals("retrying", failed.get("outcome"));
        assertEquals("connection_refused", failed.get("error"));

        WebhookReceiver receiver = receiver(port);
        receiver.control((String) endpoint.get("secret"), List.of(), 3.0);
        pump(ports, Duration.ofSeconds(20), () -> !receiver.deliveries().isEmpty());
        assertEquals(Boolean.TRUE, receiver.deliveries().get(0).get("verified"));
        assertEquals("delivered", lastDelivery(ports, "acme-refused", endpoint).get("outcome"));
    }

    @Test
    void a_receiver_that_never_answers_ends_parked_in_the_dead_letter_queue_and_visible_on_its_endpoint() throws IOException {
        WebhookReceiver receiver = receiver(0);
        WebhookPorts ports = localPorts();
        Map<String, Object> endpoint = register(ports, "acme-parked", receiver.url.toString(), "key.rotated");
        receiver.control((String) endpoint.get("secret"), List.of("503", "503", "503", "503", "503", "503"), 3.0);
        sendEvent(event("acme-parked", "key.rotated"));

        pump(ports, Duration.ofSeconds(60), () -> visibleMessages(deadLetterUrl) > 0);

        assertEquals(ATTEMPTS, receiver.deliveries().size());
        Map<?, ?> last = lastDelivery(ports, "acme-parked", endpoint);
        assertEquals("parked", last.get("outcome"));
        assertEquals(ATTEMPTS, last.get("attempt"));
        assertEquals(503, last.get("responseStatus"));
        assertEquals(1, visibleMessages(deadLetterUrl));
    }

    @Test
    void only_subscribed_endpoints_of_the_events_account_get_it() throws IOException {
        WebhookReceiver receiver = receiver(0);
        WebhookPorts ports = localPorts();
        Map<String, Object> subscribed = register(ports, "acme-fan", receiver.url.toString(), "key.leaked");
        register(ports, "acme-fan", receiver.url + "other", "key.created");
        register(ports, "acme-other", receiver.url + "another", "key.leaked");
        receiver.control((String) subscribed.get("secret"), List.of(), 3.0);
        sendEvent(event("acme-fan", "key.leaked"));
        pump(ports, Duration.ofSeconds(20), () -> !receiver.deliveries().isEmpty());
        pump(ports, Duration.ofSeconds(2), () -> false);
        assertEquals(1, receiver.deliveries().size());
        assertEquals(Boolean.TRUE, receiver.deliveries().get(0).get("verified"));
    }

    @Test
    void a_test_event_is_posted_at_once_signed_and_its_outcome_answered() throws IOException {
        WebhookReceiver receiver = receiver(0);
        WebhookPorts ports = localPorts();
        Map<String, Object> endpoint = register(ports, "acme-test", receiver.url.toString(), "key.created");
        receiver.control((String) endpoint.get("secret"), List.of(), 3.0);
        Map<String, Object> answer = call(new TestWebhookHandler(ports), "POST", "", Map.of("accountId", "acme-test",
                "webhookId", endpoint.get("id")), null, 200);
        assertEquals("delivered", answer.get("outcome"));
        assertEquals(200, answer.get("responseStatus"));
        Map<String, Object> delivery = receiver.deliveries().get(0);
        assertEquals(Boolean.TRUE, delivery.get("verified"));
        assertEquals(answer.get("eventId"), delivery.get("webhookId"));
        assertEquals("webhook.test", parse((String) delivery.get("body")).get("type"));
    }

    @Test
    void a_name_that_resolves_to_a_private_address_at_delivery_is_not_posted_to() throws IOException {
        WebhookReceiver receiver = receiver(0);
        WebhookPorts ports = localPorts();
        Map<String, Object> endpoint = register(ports, "acme-rebind", receiver.url.toString(), "key.created");
        // the name now resolves elsewhere: to a private address
        WebhookPorts rebound = new WebhookPorts(ports.store(), ports.secrets(),
                new WebhookUrls(host -> new java.net.InetAddress[] {java.net.InetAddress.getByName("10.1.2.3")}, true),
                new HttpWebhookSender(Duration.ofSeconds(2)), Clock.systemUTC(), new JsonEventLog());
        sendEvent(event("acme-rebind", "key.created"));
        pump(rebound, Duration.ofSeconds(20), () -> lastDelivery(ports, "acme-rebind", endpoint) != null);
        assertEquals("address_not_public", lastDelivery(ports, "acme-rebind", endpoint).get("error"));
        assertTrue(receiver.deliveries().isEmpty());
    }

    // --- helpers ---------------------------------------------------------------------------

    /**
     * {@code count} attempts recorded on the endpoint by as many threads at once, a millisecond
     * apart from {@code from} on; answered newest first.
     */
    private static List<WebhookEndpoint.Delivery> recordAtOnce(WebhookPorts ports, String account, String endpointId,
                                                               Instant from, int count) throws Exception {
        List<WebhookEndpoint.Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            deliveries.add(0, new WebhookEndpoint.Delivery("evt_" + com.github.f4b6a3.ulid.UlidCreator.getUlid(),
                    "key.created", from.plusMillis(i), 1, WebhookEndpoint.Outcome.RETRYING, 503, "http_status"));
        }
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(count);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(count);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (WebhookEndpoint.Delivery delivery : deliveries) {
                done.add(threads.submit(() -> {
                    together.await();
                    ports.store().recordDelivery(account, endpointId, delivery);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> each : done) {
                each.get();
            }
        } finally {
            threads.shutdownNow();
        }
        return deliveries;
    }

    private static List<String> eventIds(List<WebhookEndpoint.Delivery> deliveries) {
        return deliveries.stream().map(WebhookEndpoint.Delivery::eventId).toList();
    }

    private static List<Object> eventIdsOf(List<?> json) {
        return json.stream().map(d -> (Object) ((Map<?, ?>) d).get("eventId")).toList();
    }

    private Map<String, Object> get(WebhookPorts ports, String account, String id) throws IOException {
        return call(new GetWebhookHandler(ports), "GET", "/accounts/" + account + "/webhooks/" + id,
                Map.of("accountId", account, "webhookId", id), null, 200);
    }

    private Map<String, AttributeValue> endpointItem(String account, String id) {
        return aws.clients().dynamoDb().getItem(g -> g.tableName(aws.settings().tableName()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("WEBHOOK#" + account), "sk", AttributeValue.fromS("ENDPOINT#" + id))))
                .item();
    }

    private WebhookReceiver receiver(int port) {
        WebhookReceiver receiver = WebhookReceiver.start(port);
        receivers.add(receiver);
        return receiver;
    }

    private Map<String, Object> register(WebhookPorts ports, String account, String url, String type) throws IOException {
        return call(new CreateWebhookHandler(ports), "POST", "/accounts/" + account + "/webhooks",
                Map.of("accountId", account), "{\"url\":" + JSON.std.asString(url) + ",\"events\":[\"" + type + "\"]}", 201);
    }

    private Map<?, ?> lastDelivery(WebhookPorts ports, String account, Map<String, Object> endpoint) {
        try {
            return (Map<?, ?>) call(new GetWebhookHandler(ports), "GET", "", Map.of("accountId", account,
                    "webhookId", endpoint.get("id")), null, 200).get("lastDelivery");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An event as the EventBridge rule puts it on the queue. */
    private static String event(String account, String type) throws IOException {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("id", "evt_" + com.github.f4b6a3.ulid.UlidCreator.getUlid());
        detail.put("type", type);
        detail.put("version", "1");
        detail.put("time", Instant.now().toString());
        detail.put("accountId", account);
        detail.put("keyId", "key_" + com.github.f4b6a3.ulid.UlidCreator.getUlid());
        detail.put("clientId", "kw_cid_test");
        detail.put("actor", Map.of("type", "admin", "id", "arn:aws:iam::123456789012:user/ada"));
        detail.put("data", Map.of());
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("version", "0");
        envelope.put("id", java.util.UUID.randomUUID().toString());
        envelope.put("detail-type", type);
        envelope.put("source", "dev.keyward");
        envelope.put("time", detail.get("time"));
        envelope.put("detail", detail);
        return JSON.std.asString(envelope);
    }

    private void sendEvent(String envelope) {
        sqs.sendMessage(s -> s.queueUrl(queueUrl).messageBody(envelope));
    }

    /**
     * Lambda's SQS event source mapping, for {@code within}: receives, hands each batch to the
     * delivery function, deletes what it did not report failed; stops once {@code done}.
     */
    private void pump(WebhookPorts ports, Duration within, BooleanSupplier done) throws IOException {
        DeliveryQueue queue = Keyward.deliveryQueue(aws.clients(), queueUrl);
        DeliverWebhooksHandler handler = new DeliverWebhooksHandler(new WebhookDelivery(ports, DELAYS), queue);
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline) && !done.getAsBoolean()) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (messages.isEmpty()) {
                continue;
            }
            List<Map<String, Object>> records = new ArrayList<>();
            for (Message message : messages) {
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("messageId", message.messageId());
                record.put("receiptHandle", message.receiptHandle());
                record.put("body", message.body());
                Map<String, String> attributes = new HashMap<>();
                message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
                record.put("attributes", attributes);
                record.put("eventSource", "aws:sqs");
                records.add(record);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(JSON.std.asBytes(Map.of("Records", records))), out, null);
            List<String> failed = new ArrayList<>();
            for (Object failure : (List<?>) JSON.std.mapFrom(out.toByteArray()).get("batchItemFailures")) {
                failed.add((String) ((Map<?, ?>) failure).get("itemIdentifier"));
            }
            for (Message message : messages) {
                if (!failed.contains(message.messageId())) {
                    sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                }
            }
        }
    }

    private int visibleMessages(String url) {
        return Integer.parseInt(sqs.getQueueAttributes(g -> g.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private void assertNoSecretLogged(String... secrets) {
        String log = logged.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("whsec_"), "a log line holds a signing secret");
        for (String secret : secrets) {
            assertFalse(log.contains(secret.substring("whsec_".length())), "a log line holds a signing secret");
        }
    }

    private static Map<String, Object> parse(String json) throws IOException {
        return JSON.std.mapFrom(json);
    }

    private static Map<String, Object> call(com.amazonaws.services.lambda.runtime.RequestStreamHandler handler,
                                            String method, String path, Map<String, Object> pathParameters, String body,
                                            int expected) throws IOException {
        APIGatewayProxyResponseEvent response = raw(handler, method, path, pathParameters, body);
        assertEquals(expected, response.getStatusCode(), response.getBody());
        assertNotNull(response.getBody());
        return parse(response.getBody());
    }

    private static APIGatewayProxyResponseEvent raw(com.amazonaws.services.lambda.runtime.RequestStreamHandler handler,
                                                    String method, String path, Map<String, ?> pathParameters, String body) {
        APIGatewayProxyRequestEvent event = Events.load("update-settings.json");
        Map<String, String> parameters = new HashMap<>();
        pathParameters.forEach((name, value) -> parameters.put(name, String.valueOf(value)));
        event.getRequestContext().setPath("/prod" + path);
        event.withHttpMethod(method).withPath(path).withPathParameters(parameters).withBody(body);
        return StreamHandlers.proxy(handler).handleRequest(event, null);
    }

    @Test
    void the_receiver_refuses_a_delivery_signed_with_another_secret() {
        WebhookReceiver receiver = receiver(0);
        receiver.control(dev.keyward.core.WebhookSigner.newSecret(), List.of(), 3.0);
        String body = "{\"id\":\"evt_x\"}";
        long now = Instant.now().getEpochSecond();
        try {
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(receiver.url)
                    .header("webhook-id", "evt_x").header("webhook-timestamp", Long.toString(now))
                    .header("webhook-signature", dev.keyward.core.WebhookSigner.signature(
                            dev.keyward.core.WebhookSigner.newSecret(), "evt_x", now, body))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertEquals(Boolean.FALSE, receiver.deliveries().get(0).get("verified"));
    }
}
