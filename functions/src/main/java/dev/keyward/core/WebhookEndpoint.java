package dev.keyward.core;

import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where an account's events are posted, without its signing secret.
 *
 * @param events       the event types it receives
 * @param lastDelivery the outcome of the latest delivery attempt, or null before the first
 */
public record WebhookEndpoint(String accountId, String id, String url, SortedSet<String> events, Instant createdAt,
                              String createdBy, Delivery lastDelivery) {
    public WebhookEndpoint {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(createdAt, "createdAt");
        events = Collections.unmodifiableSortedSet(new TreeSet<>(events));
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
     * The latest delivery attempt.
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
