package dev.keyward.local;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.aws.AwsClients;
import dev.keyward.events.EventBridgeSink;
import dev.keyward.events.EventSink;
import dev.keyward.handler.DeliverWebhooksHandler;
import dev.keyward.runtime.AwsSettings;
import dev.keyward.runtime.Keyward;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Webhook deliveries on a developer's machine, along the deployed path and in the emulator: the
 * events go to an EventBridge bus ({@link EventBridgeSink}, as PublishEventsFunction sends them),
 * whose rule puts them on the delivery queue with its dead-letter queue; this polls that queue
 * once a second, as Lambda's event source mapping does, and hands each batch, as Lambda's SQS
 * event, to {@link DeliverWebhooksHandler}: it fans each event out into one task per subscribed
 * endpoint, delivers each task and sets a failed one's visibility to its retry wait. The messages
 * the handler did not report failed ({@code ReportBatchItemFailures}) are deleted; the others
 * come back when their visibility ends, and past the queue's {@code maxReceiveCount} SQS parks
 * them in the dead-letter queue. The bus, the rule, the queues and the batch size are those of
 * template.yaml ({@link Plan}), named after the table.
 */
final class LocalWebhooks implements AutoCloseable {
    static final long POLL_MILLIS = 1000;
    /** Receives in a row at most, before the next poll: a queue that never empties still lets it stop. */
    private static final int MAX_ROUNDS = 50;

    /** What template.yaml says of the delivery queue, its event source mapping and the rule that feeds it. */
    record Plan(int visibilityTimeoutSeconds, int retentionSeconds, int maxReceiveCount, int batchSize, String eventPattern) {
        static Plan of(Map<String, Object> template) {
            Map<String, Object> queue = properties(template, "WebhookDeliveries");
            Map<String, Object> redrive = map(queue.get("RedrivePolicy"), "WebhookDeliveries.RedrivePolicy");
            String pattern;
            try {
                pattern = JSON.std.asString(map(properties(template, "WebhookEventsRule").get("EventPattern"),
                        "WebhookEventsRule.EventPattern"));
            } catch (IOException e) {
                throw new IllegalStateException("WebhookEventsRule.EventPattern is not JSON", e);
            }
            return new Plan(number(queue, "VisibilityTimeout"), number(queue, "MessageRetentionPeriod"),
                    number(redrive, "maxReceiveCount"), number(properties(template, "WebhookDeliveriesMapping"), "BatchSize"),
                    pattern);
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

    /** The names of the local bus, rule and queues: the table's, as the stack names them after its stage. */
    record Names(String bus, String rule, String queue, String parkedQueue) {
        static Names of(String tableName) {
            // a table name may hold dots, which SQS names may not
            String base = tableName.replace('.', '-');
            return new Names(base + "-events", base + "-webhooks", base + "-webhook-deliveries",
                    base + "-webhook-deliveries-parked");
        }
    }

    private final EventBridgeClient bridge;
    private final SqsClient sqs;
    private final Names names;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final int batchSize;
    private final DeliverWebhooksHandler handler;
    private final PrintStream out;
    private final ScheduledExecutorService poller;

    private LocalWebhooks(EventBridgeClient bridge, SqsClient sqs, Names names, String queueUrl, String queueArn,
                          String region, int batchSize, DeliverWebhooksHandler handler, PrintStream out) {
        this.bridge = bridge;
        this.sqs = sqs;
        this.names = names;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.region = region;
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
     * Makes the bus, the rule and the queues unless they exist, and starts polling; or returns
     * null, and says why, when the emulator (or AWS) refused: the API then serves without them.
     *
     * @param handler the delivery function over the local API's webhook ports and {@code queue}
     */
    static LocalWebhooks start(AwsSettings settings, AwsClients clients, Plan plan,
                               java.util.function.Function<String, DeliverWebhooksHandler> handler, PrintStream out) {
        var builder = EventBridgeClient.builder().region(settings.region()).credentialsProvider(settings.credentials());
        settings.endpoint().ifPresent(builder::endpointOverride);
        EventBridgeClient bridge = builder.build();
        Names names = Names.of(settings.tableName());
        try {
            SqsClient sqs = clients.sqs();
            String parkedUrl = queueUrl(sqs, names.parkedQueue());
            String parkedArn = arn(sqs, parkedUrl);
            String queueUrl = queueUrl(sqs, names.queue());
            String queueArn = arn(sqs, queueUrl);
            try {
                bridge.createEventBus(b -> b.name(names.bus()));
            } catch (ResourceAlreadyExistsException exists) {
                // made by an earlier run against the same emulator
            }
            String ruleArn = bridge.putRule(r -> r.name(names.rule()).eventBusName(names.bus())
                    .description("Keyward's events, for the accounts' webhook endpoints.")
                    .eventPattern(plan.eventPattern())).ruleArn();
            Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
            attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(plan.visibilityTimeoutSeconds()));
            attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(plan.retentionSeconds()));
            attributes.put(QueueAttributeName.REDRIVE_POLICY, JSON.std.asString(Map.of("deadLetterTargetArn", parkedArn,
                    "maxReceiveCount", Integer.toString(plan.maxReceiveCount()))));
            // as WebhookDeliveriesPolicy: only the rule may send to the queue
            attributes.put(QueueAttributeName.POLICY, JSON.std.asString(Map.of("Version", "2012-10-17",
                    "Statement", List.of(Map.of("Sid", "EventsFromTheRule", "Effect", "Allow",
                            "Principal", Map.of("Service", "events.amazonaws.com"), "Action", "sqs:SendMessage",
                            "Resource", queueArn, "Condition", Map.of("ArnEquals", Map.of("aws:SourceArn", ruleArn)))))));
            sqs.setQueueAttributes(s -> s.queueUrl(queueUrl).attributes(attributes));
            bridge.putTargets(t -> t.rule(names.rule()).eventBusName(names.bus())
                    .targets(target -> target.id("WebhookDeliveries").arn(queueArn)));
            LocalWebhooks webhooks = new LocalWebhooks(bridge, sqs, names, queueUrl, queueArn, settings.region().id(),
                    Math.min(10, Math.max(1, plan.batchSize())), handler.apply(queueUrl), out);
            webhooks.poller.scheduleWithFixedDelay(webhooks::pollAll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
            return webhooks;
        } catch (RuntimeException | IOException e) {
            bridge.close();
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

    /** Where the local API publishes its events: the bus, as PublishEventsFunction does. */
    EventSink sink() {
        return new EventBridgeSink(bridge, names.bus());
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
        bridge.close();
    }
}
