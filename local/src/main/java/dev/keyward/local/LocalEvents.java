package dev.keyward.local;

import dev.keyward.aws.KeysTable;
import dev.keyward.events.EventSink;
import dev.keyward.events.StreamPoller;
import dev.keyward.runtime.AwsSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Events on a developer's machine: what Lambda's stream mapping and PublishEventsFunction do when
 * deployed, done by polling the emulator's table stream once a second and handing the events to
 * the sinks, in order: the console (one {@code event} line each), then the webhook delivery queue
 * ({@link LocalWebhooks}). When a sink fails, every sink gets the same events, with the same ids,
 * at the next poll.
 */
final class LocalEvents implements AutoCloseable {
    static final long POLL_MILLIS = 1000;

    private final DynamoDbStreamsClient streams;
    private final ScheduledExecutorService poller;

    private LocalEvents(DynamoDbStreamsClient streams, ScheduledExecutorService poller) {
        this.streams = streams;
        this.poller = poller;
    }

    /**
     * Starts polling, or returns null (and says why) when the table has no stream (a table made
     * before events were). With {@code published} (the file of {@link PublishedEvents}), events a
     * run before this one published are not published again.
     */
    static LocalEvents start(AwsSettings settings, DynamoDbClient dynamoDb, List<EventSink> sinks, Path published,
                             PrintStream out) {
        String streamArn = KeysTable.streamArn(dynamoDb, settings.tableName());
        if (streamArn == null) {
            out.println("events: the table " + settings.tableName() + " has no stream; recreate it to get events");
            return null;
        }
        var builder = DynamoDbStreamsClient.builder().region(settings.region()).credentialsProvider(settings.credentials());
        settings.endpoint().ifPresent(builder::endpointOverride);
        DynamoDbStreamsClient streams = builder.build();
        EventSink every = events -> sinks.forEach(sink -> sink.publish(events));
        EventSink all = published == null ? every : PublishedEvents.skippingPublished(published, every);
        StreamPoller stream = new StreamPoller(streams, streamArn, all);
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "local-events");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(() -> {
            try {
                stream.poll();
            } catch (RuntimeException e) {
                out.println("events: not published yet (" + e.getClass().getSimpleName() + "); trying again");
            }
        }, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return new LocalEvents(streams, poller);
    }

    /** The console's sink: one line per event, its document as it is published. */
    static EventSink console(PrintStream out) {
        return events -> events.forEach(event -> out.println("event " + event));
    }

    /**
     * Stops polling; a poll under way may finish first (for up to 5 s), so that what it published
     * is noted as published ({@link PublishedEvents}) and a restart does not publish it again.
     */
    @Override
    public void close() {
        poller.shutdown();
        try {
            if (!poller.awaitTermination(5, TimeUnit.SECONDS)) {
                poller.shutdownNow();
            }
        } catch (InterruptedException e) {
            poller.shutdownNow();
            Thread.currentThread().interrupt();
        }
        streams.close();
    }
}
