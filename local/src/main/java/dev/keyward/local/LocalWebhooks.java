package dev.keyward.local;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.aws.AwsClients;
import dev.keyward.events.EventBridgeSink;
import dev.keyward.events.EventSink;
import dev.keyward.handler.DeliverWebhooksHandler;
import dev.keyward.runtime.AwsSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Webhook deliveries on a developer's machine, along the deployed path and in the emulator: each
 * event goes on the delivery queue (with its dead-letter queue) as the stack's EventBridge rule
 * puts it there, the event document as the {@code detail} of EventBridge's envelope; this polls
 * the queue once a second, as Lambda's event source mapping does, and hands each batch, as
 * Lambda's SQS event, to {@link DeliverWebhooksHandler}: it fans each event out into one task per
 * subscribed endpoint, delivers each task and sets a failed one's visibility to its retry wait.
 * The messages the handler did not report failed ({@code ReportBatchItemFailures}) are deleted;
 * the others come back when their visibility ends, and past the queue's {@code maxReceiveCount}
 * SQS parks them in the dead-letter queue. The queues' settings and the batch size are
 * template.yaml's ({@link Plan}), their names the table's.
 *
 * <p>The events skip the bus itself: the emulator's EventBridge (moto's) spends 15 to 30 ms of
 * every lock on each event it routes, which cut the local API's throughput under load by a third
 * (docs/local.md, "Events"); the stack's rule matches every Keyward event (LocalWebhooksTest holds
 * it to that), so the queue gets the same messages.
 */
final class LocalWebhooks implements AutoCloseable {
    static final long POLL_MILLIS = 1000;
    /** Receives in a row at most, before the next poll: a queue that never empties still lets it stop. */
    private static final int MAX_ROUNDS = 50;
    /** What EventBridge puts in {@code source} (PublishEventsFunction's). */
    static final String SOURCE = EventBridgeSink.SOURCE;

    /** What template.yaml says of the delivery queue and of its event source mapping. */
    record Plan(int visibilityTimeoutSeconds, int retentionSeconds, int maxReceiveCount, int batchSize) {
        static Plan of(Map<String, Object> template) {
            Map<String, Object> queue = properties(template, "WebhookDeliveries");
            Map<String, Object> redrive = map(queue.get("RedrivePolicy"), "WebhookDeliveries.RedrivePolicy");
            return new Plan(number(queue, "VisibilityTimeout"), number(queue, "MessageRetentionPeriod"),
                    number(redrive, "maxReceiveCount"), number(properties(template, "WebhookDeliveriesMapping"), "BatchSize"));
        }

        private static Map<String, Object> properties(Map<String, Object> template, String resource) {
            Map<String, Object> resources = map(template.get("Resources"), "Resources");
            return map(map(resources.get(resource), resource).get("Properties"), resource + ".Properties");
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> map(Object value, String what) {
            if (value instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            throw new IllegalStateException("template.yaml has no " + what);
        }

        private static int number(Map<String, Object> properties, String name) {
            Object value = properties.get(name);
            try {
                return Integer.parseInt(String.valueOf(value));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("template.yaml: " + name + " is not a number: " + value, e);
            }
        }
    }

    /** The local queues' names: the table's, as the stack's follow its stage. */
    record Names(String queue, String parkedQueue) {
        static Names of(String tableName) {
            // a table name may hold dots, which SQS names may not
            String base = tableName.replace('.', '-');
            return new Names(base + "-webhook-deliveries", base + "-webhook-deliveries-parked");
        }
    }

    private final SqsClient sqs;
    private final Names names;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final String account;
    private final int batchSize;
    private final DeliverWebhooksHandler handler;
    private final PrintStream out;
    private final ScheduledExecutorService poller;

    private LocalWebhooks(SqsClient sqs, Names names, String queueUrl, String queueArn, String region, int batchSize,
                          DeliverWebhooksHandler handler, PrintStream out) {
        this.sqs = sqs;
        this.names = names;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.region = region;
        // arn:aws:sqs:{region}:{account}:{name}
        String[] arn = queueArn.split(":", 6);
        this.account = arn.length > 4 ? arn[4] : "";
        this.batchSize = batchSize;
        this.handler = handler;
        this.out = out;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "local-webhooks");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Makes the queues unless they exist, gives them the template's settings and starts polling; or
     * returns null, and says why, when the emulator (or AWS) refused: the API then serves without.
     *
     * @param handler the delivery function over the local API's webhook ports, for the queue at the URL given
     */
    static LocalWebhooks start(AwsSettings settings, AwsClients clients, Plan plan,
                               Function<String, DeliverWebhooksHandler> handler, PrintStream out) {
        Names names = Names.of(settings.tableName());
        try {
            SqsClient sqs = clients.sqs();
            String parkedUrl = queueUrl(sqs, names.parkedQueue());
            String parkedArn = arn(sqs, parkedUrl);
            String queueUrl = queueUrl(sqs, names.queue());
            Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
            attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(plan.visibilityTimeoutSeconds()));
            attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(plan.retentionSeconds()));
            attributes.put(QueueAttributeName.REDRIVE_POLICY, JSON.std.asString(Map.of("deadLetterTargetArn", parkedArn,
                    "maxReceiveCount", Integer.toString(plan.maxReceiveCount()))));
            sqs.setQueueAttributes(s -> s.queueUrl(queueUrl).attributes(attributes));
            LocalWebhooks webhooks = new LocalWebhooks(sqs, names, queueUrl, arn(sqs, queueUrl), settings.region().id(),
                    Math.min(10, Math.max(1, plan.batchSize())), handler.apply(queueUrl), out);
            webhooks.poller.scheduleWithFixedDelay(webhooks::pollAll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
            return webhooks;
        } catch (RuntimeException | IOException e) {
            out.println("webhooks: not delivered on this machine (" + e.getClass().getSimpleName() + ": "
                    + firstLine(e.getMessage()) + ")");
            return null;
        }
    }

    private static String queueUrl(SqsClient sqs, String name) {
        try {
            return sqs.getQueueUrl(g -> g.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            return sqs.createQueue(c -> c.queueName(name)).queueUrl();
        }
    }

    private static String arn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(g -> g.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /**
     * Where the local API publishes its events: the delivery queue, ten to a batch, each as the
     * stack's rule sends it. A batch that is not taken whole fails: the events come again, with
     * the same ids.
     */
    EventSink sink() {
        return documents -> {
            for (int from = 0; from < documents.size(); from += 10) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (String document : documents.subList(from, Math.min(documents.size(), from + 10))) {
                    entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                            .messageBody(envelope(document, account, region, Instant.now())).build());
                }
                SendMessageBatchResponse sent = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
                if (sent.hasFailed() && !sent.failed().isEmpty()) {
                    throw new IllegalStateException(sent.failed().size() + " of " + entries.size()
                            + " events were not queued for the webhooks");
                }
            }
        };
    }

    /**
     * An event as an EventBridge rule puts it on a queue: the envelope (a new envelope id, source
     * {@value EventBridgeSink#SOURCE}, detail-type the event's type, the time, to the second, it
     * was published) with the document as its {@code detail}.
     */
    static String envelope(String document, String account, String region, Instant published) {
        Object type;
        try {
            type = JSON.std.mapFrom(document).get("type");
        } catch (IOException e) {
            throw new UncheckedIOException("an event that is not JSON: " + e.getMessage(), e);
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("version", "0");
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("detail-type", type);
        envelope.put("source", SOURCE);
        envelope.put("account", account);
        envelope.put("time", published.truncatedTo(ChronoUnit.SECONDS).toString());
        envelope.put("region", region);
        envelope.put("resources", List.of());
        try {
            String head = JSON.std.asString(envelope);
            // the document as it was published, every member kept (null ones too)
            return head.substring(0, head.length() - 1) + ",\"detail\":" + document + "}";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Names names() {
        return names;
    }

    private void pollAll() {
        try {
            for (int round = 0; round < MAX_ROUNDS && poll() > 0; round++) {
                // what was received is handled; the fan-out's tasks are on the queue already
            }
        } catch (RuntimeException | IOException e) {
            out.println("webhooks: not delivered yet (" + e.getClass().getSimpleName() + "); trying again");
        }
    }

    /**
     * One batch, as Lambda's event source mapping handles it: received, handed to the delivery
     * function, and the messages it did not report failed deleted.
     *
     * @return how many messages were received
     */
    int poll() throws IOException {
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(batchSize)
                // no long poll: the emulator would hold every call behind it
                .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        if (messages.isEmpty()) {
            return 0;
        }
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(JSON.std.asBytes(sqsEvent(messages, queueArn, region))), answer, null);
        Set<String> failed = failures(answer.toByteArray());
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message message : messages) {
            if (!failed.contains(message.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size()))
                        .receiptHandle(message.receiptHandle()).build());
            }
        }
        if (!done.isEmpty()) {
            DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(d -> d.queueUrl(queueUrl).entries(done));
            if (deleted.hasFailed() && !deleted.failed().isEmpty()) {
                // they come back when their visibility ends, and are handled again: at least once
                out.println("webhooks: " + deleted.failed().size() + " handled messages not deleted; they will come again");
            }
        }
        return messages.size();
    }

    /** Lambda's SQS event for {@code messages}, as the delivery function gets it when deployed. */
    static Map<String, Object> sqsEvent(List<Message> messages, String queueArn, String region) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Message message : messages) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            record.put("attributes", new LinkedHashMap<>(message.attributesAsStrings()));
            record.put("messageAttributes", Map.of());
            record.put("md5OfBody", message.md5OfBody());
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", region);
            records.add(record);
        }
        return Map.of("Records", records);
    }

    /** The message ids of the function's answer ({@code batchItemFailures}). */
    static Set<String> failures(byte[] answer) throws IOException {
        Set<String> failed = new HashSet<>();
        if (JSON.std.mapFrom(answer).get("batchItemFailures") instanceof List<?> failures) {
            for (Object failure : failures) {
                if (failure instanceof Map<?, ?> item && item.get("itemIdentifier") instanceof String id) {
                    failed.add(id);
                }
            }
        }
        return failed;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
