package dev.keyward.http;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.WebhookDelivery;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The webhook delivery queue's messages, as Lambda hands them over from SQS, and the answer that
 * tells Lambda which of them failed ({@code ReportBatchItemFailures}). A message is either an
 * event as EventBridge puts it on the queue ({@code detail} is the event document, which becomes
 * the webhook's body) or a task: one event for one endpoint ({@link #encode}).
 */
public final class WebhookMessages {
    private static final String TASK = "webhookTask";

    private WebhookMessages() {
    }

    /** An event to fan out: its account, id, type and the document itself, as the body every delivery posts. */
    public record Event(String accountId, String eventId, String type, String body) {
    }

    /**
     * One SQS message: its id, receipt, how often it has been received, and what it holds (one of
     * {@code event} and {@code task}, or neither when it is not a message of ours).
     */
    public record Message(String messageId, String receipt, int receiveCount, Event event,
                          WebhookDelivery.Task task) {
    }

    /** A task as a message body. */
    public static String encode(WebhookDelivery.Task task) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("accountId", task.accountId());
        fields.put("endpointId", task.endpointId());
        fields.put("eventId", task.eventId());
        fields.put("eventType", task.eventType());
        fields.put("body", task.body());
        return JsonBodies.write(Map.of(TASK, fields));
    }

    /** Lambda's SQS event. */
    public static List<Message> read(InputStream input) throws IOException {
        Map<String, Object> event = Envelopes.read(input);
        List<Message> messages = new ArrayList<>();
        if (!(event.get("Records") instanceof List<?> records)) {
            return messages;
        }
        for (Object raw : records) {
            if (raw instanceof Map<?, ?>) {
                @SuppressWarnings("unchecked")
                Map<String, Object> record = (Map<String, Object>) raw;
                messages.add(message(record));
            }
        }
        return messages;
    }

    private static Message message(Map<String, Object> record) {
        String id = Envelopes.text(record, "messageId");
        String receipt = Envelopes.text(record, "receiptHandle");
        String count = Envelopes.text(Envelopes.object(record, "attributes"), "ApproximateReceiveCount");
        int receiveCount = 1;
        try {
            receiveCount = count == null ? 1 : Math.max(1, Integer.parseInt(count));
        } catch (NumberFormatException e) {
            // Lambda always sends it; without it, count this as a first attempt
        }
        Map<String, Object> body;
        try {
            String text = Envelopes.text(record, "body");
            body = text == null ? null : JSON.std.mapFrom(text);
        } catch (IOException e) {
            body = null;
        }
        return new Message(id, receipt, receiveCount, event(body), task(body));
    }

    private static Event event(Map<String, Object> body) {
        Map<String, Object> detail = Envelopes.object(body, "detail");
        String accountId = Envelopes.text(detail, "accountId");
        String eventId = Envelopes.text(detail, "id");
        String type = Envelopes.text(detail, "type");
        if (accountId == null || eventId == null || type == null) {
            return null;
        }
        return new Event(accountId, eventId, type, JsonBodies.write(detail));
    }

    private static WebhookDelivery.Task task(Map<String, Object> body) {
        Map<String, Object> task = Envelopes.object(body, TASK);
        if (task == null) {
            return null;
        }
        String[] fields = {"accountId", "endpointId", "eventId", "eventType", "body"};
        for (String field : fields) {
            if (!(task.get(field) instanceof String)) {
                return null;
            }
        }
        return new WebhookDelivery.Task((String) task.get("accountId"), (String) task.get("endpointId"),
                (String) task.get("eventId"), (String) task.get("eventType"), (String) task.get("body"));
    }

    /** Lambda's answer: the messages that failed, which SQS hands over again. */
    public static void writeFailures(List<String> failedMessageIds, OutputStream output) throws IOException {
        List<Map<String, Object>> failures = new ArrayList<>();
        for (String id : failedMessageIds) {
            failures.add(Map.of("itemIdentifier", id));
        }
        Envelopes.write(Map.of("batchItemFailures", failures), output);
    }
}
