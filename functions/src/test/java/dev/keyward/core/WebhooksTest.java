package dev.keyward.core;

import static dev.keyward.core.WebhookFixture.ACCOUNT;
import static dev.keyward.core.WebhookFixture.URL;
import static dev.keyward.core.WebhookFixture.newWebhook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Registering, reading, deleting and testing webhook endpoints, and their signing secrets. */
class WebhooksTest {
    private final WebhookFixture f = new WebhookFixture();

    @Test
    void register_stores_the_secret_then_the_endpoint_and_answers_the_secret_once() {
        Webhooks.Registered registered = f.register("key.deleted", "key.created");
        WebhookEndpoint endpoint = registered.endpoint();
        assertTrue(Webhooks.isWellFormed(endpoint.id()), endpoint.id());
        assertEquals(ACCOUNT, endpoint.accountId());
        assertEquals(URL, endpoint.url());
        assertEquals(List.of("key.created", "key.deleted"), List.copyOf(endpoint.events()));
        assertEquals(Instant.parse("2025-03-01T10:00:00Z"), endpoint.createdAt());
        assertEquals("arn:aws:iam::123456789012:user/ops", endpoint.createdBy());
        assertNull(endpoint.lastDelivery());
        assertTrue(registered.secret().startsWith("whsec_"));
        assertEquals(registered.secret(), f.secrets.of(ACCOUNT, endpoint.id()));
        assertEquals(List.of("store " + endpoint.id() + " webhook-register:acme:" + endpoint.id()), f.secrets.calls);
        assertEquals(List.of("insert " + endpoint.id()), f.store.calls);
        assertEquals(Optional.of(endpoint), f.store.find(ACCOUNT, endpoint.id()));
        assertEquals(List.of("INFO webhook_registered acme " + endpoint.id()), f.log.lines);
        assertFalse(registered.toString().contains(registered.secret()), registered.toString());
        assertTrue(registered.toString().endsWith("secret=<redacted>]"), registered.toString());
        assertNotEquals(registered.secret(), f.register("key.created").secret());
    }

    @Test
    void every_time_an_endpoint_shows_is_whole_milliseconds_as_the_api_and_the_event_schema_say() throws IOException {
        f.clock.advance(java.time.Duration.ofNanos(123_456_789));
        WebhookEndpoint endpoint = f.register("key.created").endpoint();
        assertEquals(Instant.parse("2025-03-01T10:00:00.123Z"), endpoint.createdAt());

        WebhookEndpoint.Delivery delivery = f.webhooks.sendTest(ACCOUNT, endpoint.id(), null);
        assertEquals(Instant.parse("2025-03-01T10:00:00.123Z"), delivery.at());
        Map<String, Object> sent = JSON.std.mapFrom(f.sender.posts.get(0).body());
        assertEquals("2025-03-01T10:00:00.123Z", sent.get("time"));
    }

    @Test
    void register_checks_the_url_and_the_account_before_storing_anything() {
        KeywardException refused = assertThrows(KeywardException.class,
                () -> f.webhooks.register(ACCOUNT, newWebhook("http://hooks.example.com/", "key.created"), null));
        assertEquals(ErrorCode.INVALID_WEBHOOK_URL, refused.code());
        refused = assertThrows(KeywardException.class,
                () -> f.webhooks.register("acme/evil", newWebhook(URL, "key.created"), null));
        assertEquals(ErrorCode.INVALID_ACCOUNT_ID, refused.code());
        assertEquals(List.of(), f.secrets.calls);
        assertEquals(List.of(), f.store.calls);
    }

    @Test
    void an_account_has_at_most_ten_endpoints() {
        for (int i = 0; i < Webhooks.MAX_ENDPOINTS; i++) {
            f.register("key.created");
        }
        KeywardException refused = assertThrows(KeywardException.class, () -> f.register("key.created"));
        assertEquals(ErrorCode.WEBHOOK_LIMIT_REACHED, refused.code());
        assertEquals(10, f.webhooks.list(ACCOUNT).size());
        assertEquals(10, f.secrets.stored.size());
        // another account has its own ten
        f.webhooks.register("globex", newWebhook(URL, "key.created"), null);
    }

    @Test
    void a_refused_save_stores_no_secret() {
        IllegalStateException down = new IllegalStateException("throttled");
        f.store.failInsert = down;
        assertSame(down, assertThrows(IllegalStateException.class, () -> f.register("key.created")));
        assertEquals(List.of(), f.secrets.calls, "the endpoint comes first: no secret was made for it");
        assertEquals(List.of(), f.webhooks.list(ACCOUNT));

        f.store.refuseInsert = true;
        assertThrows(IllegalStateException.class, () -> f.register("key.created"));
        assertTrue(f.secrets.stored.isEmpty());
    }

    @Test
    void a_secret_that_was_not_stored_or_whose_answer_was_lost_goes_again_with_its_endpoint() {
        DependencyUnavailableException down = new DependencyUnavailableException("Secrets Manager", new IllegalStateException("throttled"));
        f.secrets.failStore = down;
        assertSame(down, assertThrows(DependencyUnavailableException.class, () -> f.register("key.created")));
        assertEquals(List.of(), f.webhooks.list(ACCOUNT));
        assertTrue(f.secrets.stored.isEmpty());

        f.secrets.failStore = new DependencyUnavailableException("Secrets Manager", new IllegalStateException("reset"));
        f.secrets.storeThenFail = true;
        assertThrows(DependencyUnavailableException.class, () -> f.register("key.created"));
        assertEquals(List.of(), f.webhooks.list(ACCOUNT));
        assertTrue(f.secrets.stored.isEmpty(), "the secret stored after all is destroyed");
    }

    @Test
    void an_undo_that_fails_leaves_an_endpoint_the_list_shows_and_a_delete_removes_never_a_lone_secret() {
        IllegalStateException down = new IllegalStateException("reset");
        IllegalStateException alsoDown = new IllegalStateException("still throttled");
        f.secrets.failStore = down;
        f.secrets.storeThenFail = true;
        f.secrets.failDestroy = alsoDown;
        assertSame(down, assertThrows(IllegalStateException.class, () -> f.register("key.created")));
        assertEquals(List.of(alsoDown), List.of(down.getSuppressed()));
        assertTrue(f.log.lines.get(0).startsWith("WARN webhook_register_not_undone acme whk_"), f.log.lines.toString());

        List<WebhookEndpoint> left = f.webhooks.list(ACCOUNT);
        assertEquals(1, left.size());
        f.secrets.failDestroy = null;
        f.webhooks.delete(ACCOUNT, left.get(0).id());
        assertTrue(f.secrets.stored.isEmpty());
        assertEquals(List.of(), f.webhooks.list(ACCOUNT));
    }

    @Test
    void a_save_whose_answer_was_lost_is_read_back() {
        f.store.loseInsertAnswer = new OutcomeUnknownException("DynamoDB", new RuntimeException("reset"));
        Webhooks.Registered registered = f.register("key.created");
        assertEquals(Optional.of(registered.endpoint()), f.store.find(ACCOUNT, registered.endpoint().id()));
        assertEquals(registered.secret(), f.secrets.of(ACCOUNT, registered.endpoint().id()));

        // and when it did not land, the caller is told so, and no secret was made for it
        OutcomeUnknownException unknown = new OutcomeUnknownException("DynamoDB", new RuntimeException("reset"));
        f.store.failInsert = unknown;
        assertSame(unknown, assertThrows(OutcomeUnknownException.class, () -> f.register("key.created")));
        assertEquals(1, f.webhooks.list(ACCOUNT).size());
        assertEquals(1, f.secrets.stored.size());
    }

    @Test
    void get_and_list_answer_the_accounts_own_endpoints_only() {
        WebhookEndpoint first = f.register("key.created").endpoint();
        f.clock.advance(java.time.Duration.ofSeconds(1));
        WebhookEndpoint second = f.register("key.deleted").endpoint();
        assertEquals(List.of(first, second), f.webhooks.list(ACCOUNT));
        assertEquals(List.of(), f.webhooks.list("globex"));
        assertEquals(second, f.webhooks.get(ACCOUNT, second.id()));
        assertNotFound(() -> f.webhooks.get("globex", second.id()));
        assertNotFound(() -> f.webhooks.get(ACCOUNT, "whk_01JD8X3QH7ZK2M4N6P8R0T2V4W"));
        assertNotFound(() -> f.webhooks.get(ACCOUNT, "key_01JD8X3QH7ZK2M4N6P8R0T2V4W"));
        assertNotFound(() -> f.webhooks.get(ACCOUNT, null));
        assertEquals(ErrorCode.INVALID_ACCOUNT_ID,
                assertThrows(KeywardException.class, () -> f.webhooks.list("")).code());
        assertEquals(ErrorCode.INVALID_ACCOUNT_ID,
                assertThrows(KeywardException.class, () -> f.webhooks.get("", second.id())).code());
    }

    @Test
    void delete_destroys_the_secret_then_removes_the_endpoint() {
        WebhookEndpoint endpoint = f.register("key.created").endpoint();
        f.log.lines.clear();
        f.webhooks.delete(ACCOUNT, endpoint.id());
        assertEquals(List.of("insert " + endpoint.id(), "delete " + endpoint.id()), f.store.calls);
        assertEquals("destroy " + endpoint.id(), f.secrets.calls.get(1));
        assertTrue(f.secrets.stored.isEmpty());
        assertEquals(List.of("INFO webhook_deleted acme " + endpoint.id()), f.log.lines);
        assertNotFound(() -> f.webhooks.delete(ACCOUNT, endpoint.id()));
        assertNotFound(() -> f.webhooks.delete(ACCOUNT, "nope"));
        assertEquals(ErrorCode.INVALID_ACCOUNT_ID,
                assertThrows(KeywardException.class, () -> f.webhooks.delete("a/b", endpoint.id())).code());
        assertEquals(2, f.secrets.calls.size(), "an unknown endpoint's delete destroys nothing");
    }

    @Test
    void a_secret_that_cannot_be_destroyed_fails_the_delete_and_keeps_the_endpoint_for_another_try() {
        WebhookEndpoint endpoint = f.register("key.created").endpoint();
        f.secrets.failDestroy = new DependencyUnavailableException("Secrets Manager", new IllegalStateException("throttled"));

        assertThrows(DependencyUnavailableException.class, () -> f.webhooks.delete(ACCOUNT, endpoint.id()));

        assertEquals(List.of(endpoint.id()), f.webhooks.list(ACCOUNT).stream().map(WebhookEndpoint::id).toList());
        f.secrets.failDestroy = null;
        f.webhooks.delete(ACCOUNT, endpoint.id());
        assertEquals(List.of(), f.webhooks.list(ACCOUNT));
        assertTrue(f.secrets.stored.isEmpty(), "no secret is left behind");
    }

    @Test
    void rotating_gives_a_new_secret_used_from_then_on() {
        Webhooks.Registered registered = f.register("key.created");
        String id = registered.endpoint().id();
        Webhooks.RotatedSecret rotated = f.webhooks.rotateSecret(ACCOUNT, id, null);
        assertTrue(rotated.secret().startsWith("whsec_"));
        assertNotEquals(registered.secret(), rotated.secret());
        assertEquals(rotated.secret(), f.secrets.of(ACCOUNT, id));
        assertTrue(f.secrets.calls.get(1).startsWith("replace " + id + " webhook-rotate:acme:" + id + ":evt_"),
                f.secrets.calls.toString());
        assertEquals("INFO webhook_secret_rotated acme " + id, f.log.lines.get(1));
        assertEquals("RotatedSecret[secret=<redacted>, previousValidUntil=2025-03-02T10:00:00Z]", rotated.toString());
        assertNotFound(() -> f.webhooks.rotateSecret(ACCOUNT, "whk_01JD8X3QH7ZK2M4N6P8R0T2V4W", null));
        assertEquals(2, f.secrets.calls.size());
    }

    @Test
    void of_two_rotations_that_read_the_same_secret_one_is_stored_and_the_other_refused_so_no_answered_secret_is_lost() {
        Webhooks.Registered registered = f.register("key.created");
        String id = registered.endpoint().id();
        Webhooks.RotatedSecret[] other = new Webhooks.RotatedSecret[1];
        // another admin's rotation, between this rotation's read and its write
        f.secrets.beforeNextReplace = () -> other[0] = f.webhooks.rotateSecret(ACCOUNT, id, null);

        KeywardException refused = assertThrows(KeywardException.class, () -> f.webhooks.rotateSecret(ACCOUNT, id, null));

        assertEquals(ErrorCode.WEBHOOK_ROTATION_CONFLICT, refused.code());
        assertEquals(new WebhookSigningSecrets(other[0].secret(), registered.secret(), f.clock.instant().plusSeconds(86_400)),
                f.secrets.all(ACCOUNT, id), "the rotation answered is in force, beside the secret both replaced");
        assertTrue(f.log.lines.contains("INFO webhook_secret_rotation_conflict acme " + id), f.log.lines.toString());
        assertEquals(List.of(other[0].secret(), registered.secret()), signedWith(id, other[0].secret(), registered.secret()));
    }

    @Test
    void after_a_rotation_the_previous_secret_signs_beside_the_new_one_for_a_day_by_default() {
        Webhooks.Registered registered = f.register("key.created");
        String id = registered.endpoint().id();
        Instant rotatedAt = f.clock.instant();
        Webhooks.RotatedSecret rotated = f.webhooks.rotateSecret(ACCOUNT, id, null);
        assertEquals(rotatedAt.plusSeconds(86_400), rotated.previousValidUntil());
        assertEquals(new WebhookSigningSecrets(rotated.secret(), registered.secret(), rotatedAt.plusSeconds(86_400)),
                f.secrets.all(ACCOUNT, id));

        String[] both = {rotated.secret(), registered.secret()};
        assertEquals(List.of(rotated.secret(), registered.secret()), signedWith(id, both));
        f.clock.advance(java.time.Duration.ofSeconds(86_399));
        assertEquals(List.of(rotated.secret(), registered.secret()), signedWith(id, both), "a second before the day is over");
        f.clock.advance(java.time.Duration.ofSeconds(1));
        assertEquals(List.of(rotated.secret()), signedWith(id, both), "once the day is over, the new secret alone");
    }

    @Test
    void an_overlap_of_zero_stops_the_previous_secret_at_once_and_another_sets_its_end() {
        Webhooks.Registered registered = f.register("key.created");
        String id = registered.endpoint().id();
        Webhooks.RotatedSecret now = f.webhooks.rotateSecret(ACCOUNT, id, 0L);
        assertNull(now.previousValidUntil());
        assertEquals(WebhookSigningSecrets.of(now.secret()), f.secrets.all(ACCOUNT, id));
        assertEquals(List.of(now.secret()), signedWith(id, now.secret(), registered.secret()));

        Webhooks.RotatedSecret hour = f.webhooks.rotateSecret(ACCOUNT, id, 3600L);
        assertEquals(f.clock.instant().plusSeconds(3600), hour.previousValidUntil());
        assertEquals(List.of(hour.secret(), now.secret()), signedWith(id, hour.secret(), now.secret()));
        f.clock.advance(java.time.Duration.ofHours(1));
        assertEquals(List.of(hour.secret()), signedWith(id, hour.secret(), now.secret()));

        Webhooks.RotatedSecret longest = f.webhooks.rotateSecret(ACCOUNT, id, 86_400L);
        assertEquals(f.clock.instant().plusSeconds(86_400), longest.previousValidUntil());
    }

    @Test
    void rotating_again_during_an_overlap_ends_the_older_secret_at_once() {
        Webhooks.Registered registered = f.register("key.created");
        String id = registered.endpoint().id();
        Webhooks.RotatedSecret first = f.webhooks.rotateSecret(ACCOUNT, id, null);
        f.clock.advance(java.time.Duration.ofHours(2));
        Webhooks.RotatedSecret second = f.webhooks.rotateSecret(ACCOUNT, id, null);
        assertEquals(f.clock.instant().plusSeconds(86_400), second.previousValidUntil());
        assertEquals(List.of(second.secret(), first.secret()), signedWith(id, second.secret(), first.secret(),
                registered.secret()));
    }

    @Test
    void an_overlap_out_of_range_is_refused_before_anything_is_read_or_changed() {
        String id = f.register("key.created").endpoint().id();
        String secret = f.secrets.of(ACCOUNT, id);
        for (long seconds : new long[] {-1, 86_401, Long.MIN_VALUE, Long.MAX_VALUE}) {
            KeywardException refused = assertThrows(KeywardException.class, () -> f.webhooks.rotateSecret(ACCOUNT, id, seconds));
            assertEquals(ErrorCode.INVALID_OVERLAP_SECONDS, refused.code());
            assertEquals("overlapSeconds must be a whole number from 0 to 86400.", refused.detail());
        }
        // the request's own mistake first, then whether the endpoint exists
        assertEquals(ErrorCode.INVALID_OVERLAP_SECONDS, assertThrows(KeywardException.class,
                () -> f.webhooks.rotateSecret(ACCOUNT, "whk_01JD8X3QH7ZK2M4N6P8R0T2V4W", -1L)).code());
        assertEquals(ErrorCode.INVALID_ACCOUNT_ID, assertThrows(KeywardException.class,
                () -> f.webhooks.rotateSecret("a/b", id, -1L)).code());
        assertEquals(secret, f.secrets.of(ACCOUNT, id));
        assertEquals(1, f.secrets.calls.size(), f.secrets.calls.toString());
    }

    /**
     * Which of {@code candidates} sign a test event sent now: for each signature in its
     * webhook-signature, in order, the candidate whose signature it is ("unknown" when none).
     */
    private List<String> signedWith(String endpointId, String... candidates) {
        f.webhooks.sendTest(ACCOUNT, endpointId, null);
        RecordingSender.Post post = f.sender.posts.get(f.sender.posts.size() - 1);
        long timestamp = Long.parseLong(post.headers().get("webhook-timestamp"));
        List<String> signers = new java.util.ArrayList<>();
        for (String signature : post.headers().get("webhook-signature").split(" ")) {
            signers.add(java.util.Arrays.stream(candidates).filter(candidate -> WebhookSigner.signature(candidate,
                    post.headers().get("webhook-id"), timestamp, post.body()).equals(signature)).findFirst().orElse("unknown"));
        }
        return signers;
    }

    @Test
    void a_test_event_is_posted_once_signed_and_recorded() throws IOException {
        WebhookEndpoint endpoint = f.register("key.created").endpoint();
        String secret = f.secrets.of(ACCOUNT, endpoint.id());
        WebhookEndpoint.Delivery delivery = f.webhooks.sendTest(ACCOUNT, endpoint.id(), "arn:aws:iam::123456789012:user/ops");
        RecordingSender.Post post = f.sender.posts.get(0);
        Map<String, Object> body = JSON.std.mapFrom(post.body());
        assertEquals(Map.of("id", delivery.eventId(), "type", "webhook.test", "version", "1", "time", "2025-03-01T10:00:00Z",
                "accountId", ACCOUNT, "actor", Map.of("type", "admin", "id", "arn:aws:iam::123456789012:user/ops"),
                "data", Map.of("endpointId", endpoint.id())), body);
        assertTrue(AuditIds.isWellFormed(delivery.eventId()), delivery.eventId());
        assertEquals(delivery.eventId(), post.headers().get("webhook-id"));
        assertEquals(WebhookSigner.signature(secret, delivery.eventId(), 1740823200L, post.body()),
                post.headers().get("webhook-signature"));
        assertEquals(new WebhookEndpoint.Delivery(delivery.eventId(), "webhook.test", f.clock.instant(), 1,
                WebhookEndpoint.Outcome.DELIVERED, 204, null), delivery);
        assertEquals(delivery, f.webhooks.get(ACCOUNT, endpoint.id()).lastDelivery());
        assertEquals(1, f.sender.posts.size());
    }

    @Test
    void a_failed_test_event_is_recorded_as_failed_and_not_retried() throws IOException {
        WebhookEndpoint endpoint = f.register("key.created").endpoint();
        f.sender.status = 503;
        WebhookEndpoint.Delivery delivery = f.webhooks.sendTest(ACCOUNT, endpoint.id(), null);
        assertEquals(WebhookEndpoint.Outcome.FAILED, delivery.outcome());
        assertEquals(503, delivery.responseStatus());
        assertEquals("http_status", delivery.error());
        assertEquals(Map.of("type", "admin"), withoutNull(JSON.std.mapFrom(f.sender.posts.get(0).body()).get("actor")));
        assertTrue(f.sender.posts.get(0).body().contains("\"actor\":{\"type\":\"admin\",\"id\":null}"));
        assertNotFound(() -> f.webhooks.sendTest(ACCOUNT, "whk_01JD8X3QH7ZK2M4N6P8R0T2V4W", null));
        assertEquals(1, f.sender.posts.size());
    }

    private static Map<?, ?> withoutNull(Object actor) {
        Map<?, ?> map = (Map<?, ?>) actor;
        assertTrue(map.containsKey("id") && map.get("id") == null, map.toString());
        return Map.of("type", map.get("type"));
    }

    @Test
    void quote_escapes_what_json_requires() {
        assertEquals("\"plain\"", Webhooks.quote("plain"));
        assertEquals("\"a\\\"b\\\\c\\u000a\\u001f \u00e9\"", Webhooks.quote("a\"b\\c\n\u001f \u00e9"));
    }

    private static void assertNotFound(org.junit.jupiter.api.function.Executable call) {
        assertEquals(ErrorCode.WEBHOOK_NOT_FOUND, assertThrows(KeywardException.class, call).code());
    }
}
