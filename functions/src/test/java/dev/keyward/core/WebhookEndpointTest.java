package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** An endpoint's recent deliveries: the ten newest attempts, newest first. */
class WebhookEndpointTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private static WebhookEndpoint.Delivery at(int second, int attempt) {
        return new WebhookEndpoint.Delivery("evt_" + second, "key.deleted", T0.plusSeconds(second), attempt,
                WebhookEndpoint.Outcome.RETRYING, 500, "http_status");
    }

    private static WebhookEndpoint endpoint(List<WebhookEndpoint.Delivery> recent) {
        return new WebhookEndpoint("acme", "whk_1", "https://hooks.example.com/", new TreeSet<>(List.of("key.deleted")),
                T0, null, recent);
    }

    @Test
    void recording_keeps_the_ten_newest_attempts_newest_first() {
        List<WebhookEndpoint.Delivery> recent = List.of();
        for (int second = 1; second <= 12; second++) {
            recent = WebhookEndpoint.recorded(recent, at(second, 1));
        }
        List<WebhookEndpoint.Delivery> expected = new ArrayList<>();
        for (int second = 12; second >= 3; second--) {
            expected.add(at(second, 1));
        }
        assertEquals(expected, recent);
        assertEquals(WebhookEndpoint.RECENT_DELIVERIES, recent.size());
    }

    @Test
    void an_attempt_recorded_late_takes_its_place_by_time_and_one_older_than_all_ten_kept_is_dropped() {
        List<WebhookEndpoint.Delivery> recent = List.of();
        recent = WebhookEndpoint.recorded(recent, at(5, 1));
        recent = WebhookEndpoint.recorded(recent, at(9, 1));
        recent = WebhookEndpoint.recorded(recent, at(7, 2));
        assertEquals(List.of(at(9, 1), at(7, 2), at(5, 1)), recent);
        // at the same time, the later attempt is the newer
        recent = WebhookEndpoint.recorded(recent, at(7, 3));
        assertEquals(List.of(at(9, 1), at(7, 3), at(7, 2), at(5, 1)), recent);

        List<WebhookEndpoint.Delivery> full = List.of();
        for (int second = 10; second < 20; second++) {
            full = WebhookEndpoint.recorded(full, at(second, 1));
        }
        assertEquals(full, WebhookEndpoint.recorded(full, at(3, 1)));
    }

    @Test
    void an_attempt_recorded_twice_is_kept_once() {
        List<WebhookEndpoint.Delivery> recent = WebhookEndpoint.recorded(List.of(at(1, 1)), at(2, 1));
        assertEquals(recent, WebhookEndpoint.recorded(recent, at(2, 1)));
        assertEquals(recent, WebhookEndpoint.recorded(recent, at(1, 1)));
        assertThrows(NullPointerException.class, () -> WebhookEndpoint.recorded(recent, null));
    }

    @Test
    void the_last_delivery_is_the_newest_and_none_before_the_first() {
        assertNull(endpoint(null).lastDelivery());
        assertEquals(List.of(), endpoint(null).recentDeliveries());
        WebhookEndpoint endpoint = endpoint(List.of()).withDelivery(at(1, 1)).withDelivery(at(3, 2)).withDelivery(at(2, 1));
        assertEquals(at(3, 2), endpoint.lastDelivery());
        assertEquals(List.of(at(3, 2), at(2, 1), at(1, 1)), endpoint.recentDeliveries());
        assertThrows(UnsupportedOperationException.class, () -> endpoint.recentDeliveries().add(at(4, 1)));
    }
}
