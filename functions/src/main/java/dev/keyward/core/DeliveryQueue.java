package dev.keyward.core;

import java.time.Duration;
import java.util.List;

/** The queue of webhook deliveries: one message per event and endpoint, each retried after its own wait. */
public interface DeliveryQueue {
    /** Queues the tasks, each to be tried at once. */
    void enqueue(List<WebhookDelivery.Task> tasks);

    /** Makes the message received as {@code receipt} come back after {@code wait}. */
    void retryLater(String receipt, Duration wait);
}
