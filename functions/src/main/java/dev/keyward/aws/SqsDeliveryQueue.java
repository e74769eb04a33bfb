package dev.keyward.aws;

import dev.keyward.core.DeliveryQueue;
import dev.keyward.core.WebhookDelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The webhook delivery queue on SQS: tasks sent ten to a batch, and a failed task's wait set as
 * its message's visibility timeout (at most SQS's 12 hours).
 */
public final class SqsDeliveryQueue implements DeliveryQueue {
    static final Duration MAX_VISIBILITY = Duration.ofHours(12);
    private static final String DEPENDENCY = "SQS";

    private final Supplier<SqsClient> client;
    private final String queueUrl;
    private final Function<WebhookDelivery.Task, String> encoder;

    /** @param encoder a task as a message body */
    public SqsDeliveryQueue(Supplier<SqsClient> client, String queueUrl, Function<WebhookDelivery.Task, String> encoder) {
        this.client = client;
        this.queueUrl = queueUrl;
        this.encoder = encoder;
    }

    @Override
    public void enqueue(List<WebhookDelivery.Task> tasks) {
        for (int from = 0; from < tasks.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            List<WebhookDelivery.Task> batch = tasks.subList(from, Math.min(tasks.size(), from + 10));
            for (int i = 0; i < batch.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .messageBody(encoder.apply(batch.get(i))).build());
            }
            SendMessageBatchResponse sent;
            try {
                sent = client.get().sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            } catch (SdkException e) {
                throw AwsErrors.translate(DEPENDENCY, e);
            }
            if (sent.hasFailed() && !sent.failed().isEmpty()) {
                // the event is fanned out again; the tasks already sent are sent twice, with the same webhook-id
                throw new dev.keyward.core.DependencyUnavailableException(DEPENDENCY,
                        new IllegalStateException(sent.failed().size() + " of " + entries.size() + " tasks not queued"));
            }
        }
    }

    @Override
    public void retryLater(String receipt, Duration wait) {
        long seconds = Math.min(MAX_VISIBILITY.toSeconds(), Math.max(0, wait.toSeconds()));
        try {
            client.get().changeMessageVisibility(c -> c.queueUrl(queueUrl).receiptHandle(receipt)
                    .visibilityTimeout((int) seconds));
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }
}
