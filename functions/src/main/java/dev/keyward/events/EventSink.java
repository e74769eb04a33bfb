package dev.keyward.events;

import java.util.List;

/**
 * Where published events go: EventBridge when deployed ({@link EventBridgeSink}), the console and
 * the local webhooks on a developer's machine. Each event is its JSON document
 * (infra/events.schema.json); the same event may come again (delivery is at least once), always
 * with the same {@code id}.
 */
public interface EventSink {
    /**
     * Publishes the events, in order; returns only when each one was accepted.
     *
     * @throws RuntimeException when any was not: the caller publishes them all again
     */
    void publish(List<String> events);
}
