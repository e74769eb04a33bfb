package dev.keyward.core;

import static dev.keyward.core.WebhookFixture.ACCOUNT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Fan-out, attempts, backoff and parking of webhook deliveries. */
class WebhookDeliveryTest {
    private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"key.deleted\"}";
    private final WebhookFixture f = new WebhookFixture();
    private final WebhookDelivery delivery = new WebhookDelivery(f.ports);

    private WebhookDelivery.Task task(WebhookEndpoint endpoint) {
        return new WebhookDelivery.Task(ACCOUNT, endpoint.id(), "evt_01JD8X3QH7ZK2M4N6P8R0T2V4W", "key.deleted", BODY);
    }

    @Test
    void retries_for_more_than_a_day_in_ten_attempts() {
        assertEquals(10, delivery.maxAttempts());
        assertEquals(Duration.ofSeconds(30), delivery.waitAfter(1));
        assertEquals(Duration.ofMinutes(2), delivery.waitAfter(2));
        assertEquals(Duration.ofHours(12), delivery.waitAfter(9));
        // past the last wait, and before the first, the nearest one
        assertEquals(Duration.ofHours(12), delivery.waitAfter(10));
        assertEquals(Duration.ofSeconds(30), delivery.waitAfter(0));
        Duration all = WebhookDelivery.RETRY_DELAYS.stream().reduce(Duration.ZERO, Duration::plus);
        assertTrue(all.compareTo(Duration.ofHours(24)) > 0, all.toString());
        WebhookDelivery once = new WebhookDelivery(f.ports, List.of());
        assertEquals(1, once.maxAttempts());
        assertEquals(Duration.ZERO, once.waitAfter(1));
    }

    @Test
    void an_event_fans_out_to_each_endpoint_of_its_account_that_subscribed_to_its_type() {
        WebhookEndpoint deleted = f.register("key.deleted").endpoint();
        f.register("key.created");
        WebhookEndpoint both = f.register("key.created", "key.deleted").endpoint();
        f.webhooks.register("globex", WebhookFixture.newWebhook(WebhookFixture.URL, "key.deleted"), null);
        List<WebhookDelivery.Task> tasks = delivery.fanOut(ACCOUNT, "evt_1", "key.deleted", BODY);
        assertEquals(List.of(new WebhookDelivery.Task(ACCOUNT, deleted.id(), "evt_1", "key.deleted", BODY),
                new WebhookDelivery.Task(ACCOUNT, both.id(), "evt_1", "key.deleted", BODY)), tasks);
        assertEquals(List.of(), delivery.fanOut(ACCOUNT, "evt_2", "key.rotated", BODY));
        assertThrows(KeywardException.class, () -> delivery.fanOut("a/b", "evt_3", "key.deleted", BODY));
    }

    @Test
    void a_2xx_delivers_with_the_standard_webhooks_headers() {
        WebhookEndpoint endpoint = f.register("key.deleted").endpoint();
        String secret = f.secrets.of(ACCOUNT, endpoint.id());
        for (int status : new int[] {200, 299}) {
            f.sender.status = status;
            WebhookDelivery.Attempt attempt = delivery.deliver(task(endpoint), 3).orElseThrow();
            assertEquals(WebhookEndpoint.Outcome.DELIVERED, attempt.outcome());
            assertNull(attempt.retryAfter());
            assertEquals(new WebhookEndpoint.Delivery("evt_01JD8X3QH7ZK2M4N6P8R0T2V4W", "key.deleted", f.clock.instant(), 3,
                    WebhookEndpoint.Outcome.DELIVERED, status, null), attempt.delivery());
            assertEquals(attempt.delivery(), f.store.find(ACCOUNT, endpoint.id()).orElseThrow().lastDelivery());
        }
        RecordingSender.Post post = f.sender.posts.get(0);
        assertEquals(URI.create(WebhookFixture.URL), post.url());
        assertEquals(BODY, post.body());
        assertEquals(Map.of("content-type", "application/json", "user-agent", "Keyward-Webhooks/1",
                "webhook-id", "evt_01JD8X3QH7ZK2M4N6P8R0T2V4W", "webhook-timestamp", "1740823200",
                "webhook-signature", WebhookSigner.signature(secret, "evt_01JD8X3QH7ZK2M4N6P8R0T2V4W", 1740823200L, BODY)),
                post.headers());
    }

    @Test
    void a_failure_is_tried_again_after_its_wait_with_the_same_webhook_id_and_the_last_one_is_parked() {
        WebhookEndpoint endpoint = f.register("key.deleted").endpoint();
        for (int status : new int[] {199, 300, 500}) {
            f.sender.status = status;
            WebhookDelivery.Attempt attempt = delivery.deliver(task(endpoint), 1).orElseThrow();
            assertEquals(WebhookEndpoint.Outcome.RETRYING, attempt.outcome());
            assertEquals(Duration.ofSeconds(30), attempt.retryAfter());
            assertEquals(status, attempt.delivery().responseStatus());
            assertEquals("http_status", attempt.delivery().error());
        }
        f.sender.status = 503;
        WebhookDelivery.Attempt ninth = delivery.deliver(task(endpoint), 9).orElseThrow();
        assertEquals(WebhookEndpoint.Outcome.RETRYING, ninth.outcome());
        assertEquals(Duration.ofHours(12), ninth.retryAfter());
        f.clock.advance(Duration.ofHours(12));
        WebhookDelivery.Attempt last = delivery.deliver(task(endpoint), 10).orElseThrow();
        assertEquals(WebhookEndpoint.Outcome.PARKED, last.outcome());
        assertNull(last.retryAfter());
        WebhookEndpoint.Delivery recorded = f.store.find(ACCOUNT, endpoint.id()).orElseThrow().lastDelivery();
        assertEquals(new WebhookEndpoint.Delivery("evt_01JD8X3QH7ZK2M4N6P8R0T2V4W", "key.deleted", f.clock.instant(), 10,
                WebhookEndpoint.Outcome.PARKED, 503, "http_status"), recorded);
        assertEquals(List.of("evt_01JD8X3QH7ZK2M4N6P8R0T2V4W"),
                f.sender.posts.stream().map(p -> p.headers().get("webhook-id")).distinct().toList());
        // a later attempt than the last is parked too
        assertEquals(WebhookEndpoint.Outcome.PARKED, delivery.deliver(task(endpoint), 11).orElseThrow().outcome());
    }

    @Test
    void the_endpoint_keeps_its_last_ten_attempts_newest_first_not_only_the_latest() {
        WebhookEndpoint endpoint = f.register("key.deleted").endpoint();
        List<WebhookEndpoint.Delivery> made = new java.util.ArrayList<>();
        for (int attempt = 1; attempt <= 12; attempt++) {
            f.sender.status = attempt < 12 ? 503 : 200;
            made.add(0, delivery.deliver(task(endpoint), attempt).orElseThrow().delivery());
            f.clock.advance(Duration.ofSeconds(30));
        }
        WebhookEndpoint read = f.webhooks.get(ACCOUNT, endpoint.id());
        assertEquals(made.subList(0, 10), read.recentDeliveries());
        assertEquals(WebhookEndpoint.Outcome.DELIVERED, read.lastDelivery().outcome());
        assertEquals(12, read.lastDelivery().attempt());
        assertEquals(3, read.recentDeliveries().get(9).attempt());
    }

    @Test
    void each_way_of_getting_no_answer_is_named_never_with_the_endpoints_words() {
        WebhookEndpoint endpoint = f.register("key.deleted").endpoint();
        Map<IOException, String> failures = Map.of(
                new HttpTimeoutException("request timed out"), "timeout",
                new ConnectException("Connection refused"), "connection_refused",
                new SSLHandshakeException("PKIX path building failed"), "tls_failed",
                new IOException("connection reset"), "connection_failed");
        failures.forEach((failure, error) -> {
            f.sender.failure = failure;
            WebhookDelivery.Attempt attempt = delivery.deliver(task(endpoint), 2).orElseThrow();
            assertEquals(WebhookEndpoint.Outcome.RETRYING, attempt.outcome());
            assertEquals(Duration.ofMinutes(2), attempt.retryAfter());
            assertNull(attempt.delivery().responseStatus());
            assertEquals(error, attempt.delivery().error());
        });
    }

    @Test
    void a_host_that_now_resolves_to_a_private_address_is_not_posted_to() {
        WebhookEndpoint endpoint = f.register("key.deleted").endpoint();
        f.dns.put("hooks.example.com", "10.0.0.7");
        WebhookDelivery.Attempt attempt = delivery.deliver(task(endpoint), 1).orElseThrow();
        assertEquals(WebhookEndpoint.Outcome.RETRYING, attempt.outcome());
        assertEquals("address_not_public", attempt.delivery().error());
        assertEquals(List.of(), f.sender.posts);
    }

    @Test
    void without_its_signing_secret_nothing_is_posted() {
        WebhookEndpoint endpoint = f.register("key.deleted").endpoint();
        f.secrets.destroy(ACCOUNT, endpoint.id());
        WebhookDelivery.Attempt attempt = delivery.deliver(task(endpoint), 1).orElseThrow();
        assertEquals("signing_secret_missing", attempt.delivery().error());
        assertNull(attempt.delivery().responseStatus());
        assertEquals(List.of(), f.sender.posts);
    }

    @Test
    void an_endpoint_deleted_meanwhile_gets_nothing() {
        WebhookEndpoint endpoint = f.register("key.deleted").endpoint();
        f.webhooks.delete(ACCOUNT, endpoint.id());
        f.log.lines.clear();
        assertEquals(Optional.empty(), delivery.deliver(task(endpoint), 1));
        assertEquals(List.of("INFO webhook_endpoint_gone acme " + endpoint.id()), f.log.lines);
        assertEquals(List.of(), f.sender.posts);
    }

    @Test
    void a_delivery_that_went_out_stays_delivered_when_its_record_cannot_be_written() {
        WebhookEndpoint endpoint = f.register("key.deleted").endpoint();
        f.log.lines.clear();
        f.store.failRecord = new IllegalStateException("throttled");
        WebhookDelivery.Attempt attempt = delivery.deliver(task(endpoint), 1).orElseThrow();
        assertEquals(WebhookEndpoint.Outcome.DELIVERED, attempt.outcome());
        assertEquals(List.of("WARN webhook_delivery_unrecorded acme " + endpoint.id()), f.log.lines);
    }

    @Test
    void outcomes_have_their_wire_names() {
        for (WebhookEndpoint.Outcome outcome : WebhookEndpoint.Outcome.values()) {
            assertEquals(outcome, WebhookEndpoint.Outcome.fromWireName(outcome.wireName()));
        }
        assertEquals("parked", WebhookEndpoint.Outcome.PARKED.wireName());
        assertEquals("delivered", WebhookEndpoint.Outcome.DELIVERED.wireName());
        assertEquals("retrying", WebhookEndpoint.Outcome.RETRYING.wireName());
        assertEquals("failed", WebhookEndpoint.Outcome.FAILED.wireName());
        assertThrows(IllegalArgumentException.class, () -> WebhookEndpoint.Outcome.fromWireName("lost"));
    }
}
