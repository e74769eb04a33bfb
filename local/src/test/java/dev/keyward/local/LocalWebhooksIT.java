package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.it.AwsEnvironment;
import dev.keyward.it.AwsEnvironment.Aws;
import dev.keyward.it.WebhookReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code make run} delivers webhooks: local/run.sh serving the packaged local API over the test's
 * emulator, an endpoint registered over HTTP at local/webhook_receiver.py, which verifies every
 * delivery with the Standard Webhooks reference library (Python's {@code standardwebhooks}), and
 * the key changes made over HTTP too, a leak reported as GitHub's secret scanning reports one.
 * The deliveries take the deployed path: the event bus, its rule, the delivery queue, the
 * delivery function with its retry schedule.
 */
@ExtendWith(AwsEnvironment.class)
class LocalWebhooksIT {
    private static final List<String> TYPES = List.of("key.created", "key.rotated", "key.leaked", "key.deleted");
    private static final String LEAK_URL = "https://github.com/octo-org/octo-repo/blob/main/config.env";
    private static Path scannerKeys;
    private static Aws aws;
    private static LocalRun api;
    private static final List<WebhookReceiver> receivers = new ArrayList<>();

    @BeforeAll
    static void start(Aws classAws) throws IOException {
        aws = classAws;
        // the scanner's key pair, trusted by this local API only
        scannerKeys = LocalScanner.ensureKeyPair(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "scanner"));
        String publicKeys = JSON.std.asString(Map.of("public_keys", List.of(Map.of("key_identifier", LocalScanner.KEY_ID,
                "key", Files.readString(scannerKeys.resolve("secret-scanning.pub"))))));
        api = LocalRun.start(aws, Map.of("SECRET_SCANNING_PUBLIC_KEYS", publicKeys));
    }

    @AfterAll
    static void stop() {
        receivers.forEach(WebhookReceiver::close);
        if (api != null) {
            api.close();
        }
    }

    @Test
    void a_registered_endpoint_gets_each_change_of_a_key_once_signed_as_the_reference_library_verifies() throws Exception {
        WebhookReceiver receiver = receiver();
        String account = "acme-hooks";
        // the account flags a leaked key rather than revoke it (a setting no route changes yet), so
        // that the admin's delete comes after the leak
        aws.clients().dynamoDb().putItem(p -> p.tableName(aws.settings().tableName()).item(Map.of(
                "pk", AttributeValue.fromS("ACCOUNT#" + account), "sk", AttributeValue.fromS("SETTINGS"),
                "leakPolicy", AttributeValue.fromS("flag"))));
        Map<String, Object> endpoint = register(account, receiver, TYPES);
        String signingSecret = (String) endpoint.get("secret");
        receiver.control(signingSecret, List.of(), 5.0);

        Map<String, Object> key = json(api.send("POST", "/accounts/" + account + "/keys", "{\"name\":\"Warehouse Dashboard\"}"), 201);
        String keyId = (String) key.get("id");
        Map<String, Object> rotated = json(api.send("POST", "/accounts/" + account + "/keys/" + keyId + "/rotate",
                "{\"graceSeconds\":0}"), 200);
        String report = "[{\"token\":\"" + rotated.get("clientSecret") + "\",\"type\":\"keyward_client_secret\",\"url\":\""
                + LEAK_URL + "\",\"source\":\"content\"}]";
        LocalRun.Answer reported = api.send("POST", "/secret-scanning/reports", report,
                "Github-Public-Key-Identifier", LocalScanner.KEY_ID,
                "Github-Public-Key-Signature", LocalScanner.sign(scannerKeys, report));
        assertEquals(200, reported.status(), reported.body());
        assertTrue(reported.body().contains("true_positive"), reported.body());
        assertEquals(204, api.send("DELETE", "/accounts/" + account + "/keys/" + keyId, null).status());

        waitFor(Duration.ofSeconds(40), () -> receiver.deliveries().size() >= TYPES.size());
        // and nothing more comes: each event once
        Thread.sleep(4000);

        List<Map<String, Object>> deliveries = receiver.deliveries();
        assertEquals(TYPES.size(), deliveries.size(), "deliveries: " + deliveries);
        Set<String> ids = new HashSet<>();
        List<String> types = new ArrayList<>();
        for (Map<String, Object> delivery : deliveries) {
            assertEquals(Boolean.TRUE, delivery.get("verified"), "the reference library refused: " + delivery.get("error"));
            Map<String, Object> event = JSON.std.mapFrom((String) delivery.get("body"));
            assertEquals(event.get("id"), delivery.get("webhookId"), "webhook-id is the event's id");
            assertEquals(published((String) event.get("id")), event, "the body is the event as it was published");
            assertTrue(ids.add((String) delivery.get("webhookId")), "a webhook-id came twice: " + deliveries);
            assertEquals(account, event.get("accountId"));
            assertEquals(keyId, event.get("keyId"));
            types.add((String) event.get("type"));
            String body = (String) delivery.get("body");
            for (String secret : List.of((String) key.get("clientSecret"), (String) rotated.get("clientSecret"), signingSecret)) {
                assertFalse(body.contains(secret), "a delivered body holds a secret: " + body);
            }
            assertFalse(body.contains("kw_sec_") || body.contains("whsec_"), body);
        }
        assertEquals(Set.copyOf(TYPES), Set.copyOf(types), "one event of each type: " + types);
        Map<String, Object> leaked = deliveries.stream().map(d -> parse((String) d.get("body")))
                .filter(e -> "key.leaked".equals(e.get("type"))).findFirst().orElseThrow();
        assertEquals(Map.of("action", "flagged", "url", LEAK_URL), leaked.get("data"));
        Map<String, Object> deleted = deliveries.stream().map(d -> parse((String) d.get("body")))
                .filter(e -> "key.deleted".equals(e.get("type"))).findFirst().orElseThrow();
        assertEquals(Map.of("reason", "admin"), deleted.get("data"));

        // the console: one line per attempt, naming the event and the endpoint; no secret anywhere
        for (String id : ids) {
            assertEquals(1, deliveryLines(id).size(), "one line for the one attempt of " + id + ":\n" + console());
            String line = deliveryLines(id).get(0);
            assertTrue(line.contains("delivered") && line.contains((String) endpoint.get("id")) && line.contains("200"), line);
            assertFalse(line.contains("{"), "a delivery line holds no body: " + line);
        }
        String console = console();
        for (String secret : List.of((String) key.get("clientSecret"), (String) rotated.get("clientSecret"), signingSecret,
                signingSecret.substring("whsec_".length()))) {
            assertFalse(console.contains(secret), "the console printed a secret");
        }
    }

    @Test
    void a_receiver_that_first_answers_500_gets_the_same_webhook_id_again() throws IOException {
        WebhookReceiver receiver = receiver();
        String account = "acme-retry";
        Map<String, Object> endpoint = register(account, receiver, List.of("key.created"));
        receiver.control((String) endpoint.get("secret"), List.of("500"), 5.0);
        Map<String, Object> key = json(api.send("POST", "/accounts/" + account + "/keys", "{\"name\":\"3PL Integration\"}"), 201);

        // the first retry waits 30 s, as deployed
        waitFor(Duration.ofSeconds(75), () -> receiver.deliveries().size() >= 2);

        List<Map<String, Object>> deliveries = receiver.deliveries();
        assertEquals(2, deliveries.size(), "deliveries: " + deliveries);
        assertEquals(List.of("500", "200"), deliveries.stream().map(d -> d.get("answered")).toList());
        String id = (String) deliveries.get(0).get("webhookId");
        assertEquals(id, deliveries.get(1).get("webhookId"), "the retry carries the same webhook-id");
        for (Map<String, Object> delivery : deliveries) {
            assertEquals(Boolean.TRUE, delivery.get("verified"), "the reference library refused: " + delivery.get("error"));
            assertEquals(key.get("id"), parse((String) delivery.get("body")).get("keyId"));
        }
        List<String> lines = deliveryLines(id);
        assertEquals(2, lines.size(), console());
        assertTrue(lines.get(0).contains("retrying") && lines.get(0).contains("500") && lines.get(0).contains("attempt 1"),
                lines.get(0));
        assertTrue(lines.get(1).contains("delivered") && lines.get(1).contains("200") && lines.get(1).contains("attempt 2"),
                lines.get(1));
        Map<String, Object> read = json(api.send("GET", "/accounts/" + account + "/webhooks/" + endpoint.get("id"), null), 200);
        Map<?, ?> last = (Map<?, ?>) read.get("lastDelivery");
        assertEquals(List.of("delivered", 2, 200), List.of(last.get("outcome"), last.get("attempt"), last.get("responseStatus")));
    }

    // --- helpers ---------------------------------------------------------------------------

    private static WebhookReceiver receiver() {
        WebhookReceiver receiver = WebhookReceiver.start(0);
        receivers.add(receiver);
        return receiver;
    }

    private static Map<String, Object> register(String account, WebhookReceiver receiver, List<String> types) throws IOException {
        String body = JSON.std.asString(Map.of("url", receiver.url.toString(), "events", types));
        return json(api.send("POST", "/accounts/" + account + "/webhooks", body), 201);
    }

    /** The event document the console printed (its {@code event} line) for {@code eventId}. */
    private static Map<String, Object> published(String eventId) {
        return api.output().stream().filter(line -> line.startsWith("event {") && line.contains("\"" + eventId + "\""))
                .map(line -> parse(line.substring("event ".length()))).findFirst()
                .orElseThrow(() -> new AssertionError("no event line for " + eventId));
    }

    /** The console's delivery lines of one event. */
    private static List<String> deliveryLines(String eventId) {
        return api.output().stream().filter(line -> line.startsWith("webhook ") && line.contains(eventId)).toList();
    }

    private static String console() {
        return String.join("\n", api.output());
    }

    private static Map<String, Object> json(LocalRun.Answer answer, int status) throws IOException {
        assertEquals(status, answer.status(), answer.body());
        return JSON.std.mapFrom(answer.body());
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSON.std.mapFrom(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static void waitFor(Duration within, BooleanSupplier done) {
        Instant deadline = Instant.now().plus(within);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + within + "; the local API printed:\n" + console());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
