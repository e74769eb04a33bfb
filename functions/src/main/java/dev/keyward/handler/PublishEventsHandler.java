package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.events.EventBridgeSink;
import dev.keyward.events.EventSink;
import dev.keyward.events.StreamRecords;
import dev.keyward.telemetry.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The event publisher: triggered by the keys table's stream (filtered to the new items that carry
 * an event, see {@link dev.keyward.aws.EventItems}), it sends each event's document to the
 * EventBridge bus named by {@code KEYWARD_EVENT_BUS}. Each document was written in its change's
 * transaction and carries its id, so a batch that fails is simply delivered again by Lambda,
 * with the same ids (consumers deduplicate by id); after the retries the batch goes to the
 * function's on-failure destination (a queue with an alarm). Answers {@code {"published": n}}.
 */
public final class PublishEventsHandler implements RequestStreamHandler {
    private final EventSink sink;

    /** The function Lambda builds. */
    public PublishEventsHandler() {
        this(new EventBridgeSink(EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
                System.getenv().getOrDefault("KEYWARD_EVENT_BUS", "default")));
    }

    public PublishEventsHandler(EventSink sink) {
        this.sink = sink;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Map<String, Object> event = JSON.std.mapFrom(input);
        Object records = event.get("Records");
        List<String> events = StreamRecords.events(records instanceof List<?> list ? list : List.of());
        try {
            sink.publish(events);
        } catch (RuntimeException e) {
            // Lambda delivers the batch again; the line (and the function's Errors metric) tells it
            Log.warn("events_not_published", Map.of("events", events.size()), e);
            throw e;
        }
        Log.info("events_published", Map.of("events", events.size()));
        output.write(("{\"published\":" + events.size() + "}").getBytes(StandardCharsets.UTF_8));
    }
}
