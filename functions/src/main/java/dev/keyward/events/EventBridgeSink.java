package dev.keyward.events;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * Sends events to an EventBridge bus: source {@value #SOURCE}, detail-type the event's type, the
 * document as the detail, at most {@value #BATCH} to a PutEvents call (its limit).
 */
public final class EventBridgeSink implements EventSink {
    public static final String SOURCE = "dev.keyward";
    static final int BATCH = 10;

    private final EventBridgeClient events;
    private final String bus;

    public EventBridgeSink(EventBridgeClient events, String bus) {
        this.events = events;
        this.bus = bus;
    }

    @Override
    public void publish(List<String> documents) {
        for (int from = 0; from < documents.size(); from += BATCH) {
            List<PutEventsRequestEntry> entries = new ArrayList<>();
            for (String document : documents.subList(from, Math.min(from + BATCH, documents.size()))) {
                entries.add(PutEventsRequestEntry.builder().eventBusName(bus).source(SOURCE)
                        .detailType(type(document)).detail(document).build());
            }
            PutEventsResponse response = events.putEvents(p -> p.entries(entries));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                // the whole batch again: the ones that got through carry the same ids, and consumers dedupe by id
                throw new IllegalStateException(response.failedEntryCount() + " of " + entries.size()
                        + " events were not accepted by EventBridge");
            }
        }
    }

    static String type(String document) {
        try {
            Map<String, Object> event = JSON.std.mapFrom(document);
            return (String) event.get("type");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
