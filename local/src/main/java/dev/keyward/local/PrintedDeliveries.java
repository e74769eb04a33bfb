package dev.keyward.local;

import dev.keyward.core.WebhookEndpoint;
import dev.keyward.core.WebhookStore;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.IntFunction;

/**
 * The webhook store of the local API, which prints each delivery attempt as it is recorded: one
 * line with the outcome, the event's type and id, the account and endpoint, the attempt, the
 * endpoint's HTTP status or why there was none, and when a failed one is tried again. Never a
 * body, a header or a secret: an attempt's record holds none.
 */
final class PrintedDeliveries extends ForwardingWebhookStore {
    private final IntFunction<Duration> waitAfter;
    private final PrintStream out;

    /** @param waitAfter the wait after failed attempt number n, as the delivery function's schedule says */
    PrintedDeliveries(WebhookStore store, IntFunction<Duration> waitAfter, PrintStream out) {
        super(store);
        this.waitAfter = waitAfter;
        this.out = out;
    }

    @Override
    public void recordDelivery(String accountId, String endpointId, WebhookEndpoint.Delivery delivery) {
        out.println(line(accountId, endpointId, delivery, waitAfter));
        super.recordDelivery(accountId, endpointId, delivery);
    }

    /**
     * For example {@code webhook retrying key.created evt_01... -> acme/whk_01... attempt 1: HTTP 500, next attempt in 30 s}.
     */
    static String line(String accountId, String endpointId, WebhookEndpoint.Delivery delivery, IntFunction<Duration> waitAfter) {
        StringBuilder line = new StringBuilder("webhook ").append(delivery.outcome().wireName()).append(' ')
                .append(delivery.eventType()).append(' ').append(delivery.eventId())
                .append(" -> ").append(accountId).append('/').append(endpointId)
                .append(" attempt ").append(delivery.attempt()).append(": ");
        if (delivery.responseStatus() != null) {
            line.append("HTTP ").append(delivery.responseStatus());
        } else {
            line.append(delivery.error() == null ? "no answer" : delivery.error());
        }
        switch (delivery.outcome()) {
            case RETRYING -> line.append(", next attempt in ").append(words(waitAfter.apply(delivery.attempt())));
            case PARKED -> line.append(", parked in the dead-letter queue");
            default -> {
            }
        }
        return line.toString();
    }

    /** 30 s, 2 min, 1 h: the retry schedule's waits as people write them. */
    static String words(Duration wait) {
        long seconds = wait.toSeconds();
        if (seconds >= 3600 && seconds % 3600 == 0) {
            return seconds / 3600 + " h";
        }
        if (seconds >= 60 && seconds % 60 == 0) {
            return seconds / 60 + " min";
        }
        return seconds + " s";
    }
}
