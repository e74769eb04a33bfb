package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.core.DeliveryQueue;
import dev.keyward.core.WebhookDelivery;
import dev.keyward.core.WebhookEndpoint;
import dev.keyward.core.WebhookPorts;
import dev.keyward.http.WebhookMessages;
import dev.keyward.runtime.Keyward;
import dev.keyward.runtime.Services;
import dev.keyward.telemetry.Invocation;
import dev.keyward.telemetry.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The webhook delivery queue's consumer (SQS, with {@code ReportBatchItemFailures}). An event
 * (from the EventBridge rule) is fanned out into one task per subscribed endpoint, queued again;
 * a task is one delivery attempt. A failed attempt is reported failed and made visible again
 * after its wait ({@link WebhookDelivery#RETRY_DELAYS}); after the last one it is made visible at
 * once, and SQS, past the queue's {@code maxReceiveCount} (the number of attempts), moves it to
 * the dead-letter queue. Each attempt is one log line with ids, outcome and HTTP status: never a
 * body, a header or a secret.
 */
public final class DeliverWebhooksHandler implements RequestStreamHandler {
    private final WebhookDelivery delivery;
    private final DeliveryQueue queue;

    /** The function Lambda builds. */
    public DeliverWebhooksHandler() {
        this(Keyward.start(Functions.DELIVER_WEBHOOKS));
    }

    private DeliverWebhooksHandler(Services services) {
        this(services.webhooks(), services.deliveryQueue());
    }

    public DeliverWebhooksHandler(WebhookPorts ports, DeliveryQueue queue) {
        this(new WebhookDelivery(ports), queue);
    }

    /** With another retry schedule (the tests' seconds instead of hours). */
    public DeliverWebhooksHandler(WebhookDelivery delivery, DeliveryQueue queue) {
        this.delivery = delivery;
        this.queue = queue;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        List<WebhookMessages.Message> messages = WebhookMessages.read(input);
        List<String> failed = Invocation.during(context, null, null, () -> handle(messages));
        WebhookMessages.writeFailures(failed, output);
    }

    private List<String> handle(List<WebhookMessages.Message> messages) {
        List<String> failed = new ArrayList<>();
        for (WebhookMessages.Message message : messages) {
            try {
                if (!handle(message)) {
                    failed.add(message.messageId());
                }
            } catch (RuntimeException e) {
                // AWS busy or unreachable: the message comes back after its wait, like a failed delivery
                Log.warn("webhook_message_failed", Map.of("messageId", String.valueOf(message.messageId()),
                        "attempt", message.receiveCount()), e);
                failed.add(message.messageId());
                retryLater(message, delivery.waitAfter(message.receiveCount()));
            }
        }
        return failed;
    }

    /** @return whether the message is done with */
    private boolean handle(WebhookMessages.Message message) {
        if (message.event() != null) {
            WebhookMessages.Event event = message.event();
            List<WebhookDelivery.Task> tasks = delivery.fanOut(event.accountId(), event.eventId(), event.type(),
                    event.body());
            queue.enqueue(tasks);
            Log.info("webhook_event_queued", Map.of("accountId", event.accountId(), "eventId", event.eventId(),
                    "eventType", event.type(), "endpoints", tasks.size()));
            return true;
        }
        if (message.task() == null) {
            // not a message of ours: retrying cannot make it one
            Log.warn("webhook_message_unreadable", Map.of("messageId", String.valueOf(message.messageId())), null);
            return true;
        }
        WebhookDelivery.Task task = message.task();
        Optional<WebhookDelivery.Attempt> attempt = delivery.deliver(task, message.receiveCount());
        if (attempt.isEmpty()) {
            return true;
        }
        log(task, attempt.get().delivery());
        switch (attempt.get().outcome()) {
            case DELIVERED:
                return true;
            case RETRYING:
                retryLater(message, attempt.get().retryAfter());
                return false;
            default:
                // parked: back at once, and SQS moves it to the dead-letter queue
                retryLater(message, Duration.ZERO);
                return false;
        }
    }

    private void retryLater(WebhookMessages.Message message, Duration wait) {
        try {
            queue.retryLater(message.receipt(), wait);
        } catch (RuntimeException e) {
            // the queue's own visibility timeout brings it back instead
            Log.warn("webhook_retry_unscheduled", Map.of("messageId", String.valueOf(message.messageId())), e);
        }
    }

    private static void log(WebhookDelivery.Task task, WebhookEndpoint.Delivery delivery) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("accountId", task.accountId());
        fields.put("endpointId", task.endpointId());
        fields.put("eventId", task.eventId());
        fields.put("eventType", task.eventType());
        fields.put("attempt", delivery.attempt());
        fields.put("outcome", delivery.outcome().wireName());
        fields.put("responseStatus", delivery.responseStatus());
        fields.put("error", delivery.error());
        if (delivery.outcome() == WebhookEndpoint.Outcome.DELIVERED) {
            Log.info("webhook_delivered", fields);
        } else {
            Log.warn("webhook_delivery_failed", fields, null);
        }
    }
}
