package dev.keyward.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where an account's events are posted, without its signing secret.
 *
 * @param events           the event types it receives
 * @param recentDeliveries its last {@value #RECENT_DELIVERIES} delivery attempts, newest first; empty before the first
 */
public record WebhookEndpoint(String accountId, String id, String url, SortedSet<String> events, Instant createdAt,
                              String createdBy, List<Delivery> recentDeliveries) {
    /** How many delivery attempts an endpoint keeps: its latest ones. */
    public static final int RECENT_DELIVERIES = 10;

    /** Newest first: by time, then by attempt number (of one event at one time, the later attempt is the newer). */
    private static final Comparator<Delivery> NEWEST_FIRST = Comparator.comparing(Delivery::at)
            .thenComparingInt(Delivery::attempt).reversed();

    public WebhookEndpoint {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(createdAt, "createdAt");
        events = Collections.unmodifiableSortedSet(new TreeSet<>(events));
        recentDeliveries = recentDeliveries == null ? List.of() : List.copyOf(recentDeliveries);
    }

    /** The latest delivery attempt, or null before the first. */
    public Delivery lastDelivery() {
        return recentDeliveries.isEmpty() ? null : recentDeliveries.get(0);
    }

    /** This endpoint with {@code delivery} recorded among its recent ones. */
    public WebhookEndpoint withDelivery(Delivery delivery) {
        return new WebhookEndpoint(accountId, id, url, events, createdAt, createdBy, recorded(recentDeliveries, delivery));
    }

    /**
     * The recent deliveries once {@code delivery} is recorded among {@code recent}: newest first,
     * the {@value #RECENT_DELIVERIES} newest only. An attempt recorded already (a write repeated
     * after its answer was lost) is not recorded twice; one older than every kept attempt, when
     * {@value #RECENT_DELIVERIES} are kept, is not kept.
     */
    public static List<Delivery> recorded(List<Delivery> recent, Delivery delivery) {
        Objects.requireNonNull(delivery, "delivery");
        List<Delivery> all = new ArrayList<>(recent);
        if (!all.contains(delivery)) {
            all.add(0, delivery); // first among attempts of the same time and number: the sort keeps it there
        }
        all.sort(NEWEST_FIRST);
        return List.copyOf(all.subList(0, Math.min(RECENT_DELIVERIES, all.size())));
    }

    /** How one delivery attempt of one event ended. */
    public enum Outcome {
        /** The endpoint answered 2xx. */
        DELIVERED("delivered"),
        /** It failed; it is tried again later. */
        RETRYING("retrying"),
        /** It failed for the last time: the event waits in the dead-letter queue. */
        PARKED("parked"),
        /** A test event that failed (tests are tried once). */
        FAILED("failed");

        private final String wireName;

        Outcome(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Outcome fromWireName(String name) {
            for (Outcome outcome : values()) {
                if (outcome.wireName.equals(name)) {
                    return outcome;
                }
            }
            throw new IllegalArgumentException("No delivery outcome " + name);
        }
    }

    /**
     * One delivery attempt: never the body, a header or the secret, nor the endpoint's answer beyond its status.
     *
     * @param responseStatus the endpoint's HTTP status, or null when none came (refused, timed out)
     * @param error          why no 2xx came, in a few words of ours (never the endpoint's answer), or null
     */
    public record Delivery(String eventId, String eventType, Instant at, int attempt, Outcome outcome,
                           Integer responseStatus, String error) {
        public Delivery {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(eventType, "eventType");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(outcome, "outcome");
        }
    }
}
