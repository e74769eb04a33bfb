package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyward.events.EventSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart of `make run PERSIST=1` publishes only the events no run before it published, and loses none. */
class PublishedEventsTest {
    private static final String FIRST = "{\"id\":\"evt_1\",\"type\":\"key.created\"}";
    private static final String SECOND = "{\"id\":\"evt_2\",\"type\":\"key.deleted\"}";
    private static final String THIRD = "{\"id\":\"evt_3\",\"type\":\"key.created\"}";

    @TempDir
    Path state;

    private final List<String> taken = new ArrayList<>();
    private final EventSink sink = taken::addAll;

    @Test
    void aRestart_shouldPublishOnlyTheEventsTheRunsBeforeItHadNot() {
        PublishedEvents first = PublishedEvents.skippingPublished(state.resolve("published-events"), sink);
        first.publish(List.of(FIRST, SECOND));

        PublishedEvents restarted = PublishedEvents.skippingPublished(state.resolve("published-events"), sink);
        restarted.publish(List.of(FIRST, SECOND, THIRD)); // the replayed stream, then a new event

        assertEquals(List.of(FIRST, SECOND, THIRD), taken);
        assertEquals(3, restarted.count());
    }

    @Test
    void anEventASinkRefused_shouldBePublishedAgain_withItsId() {
        boolean[] refuse = {true};
        EventSink failing = events -> {
            if (refuse[0]) {
                throw new IllegalStateException("the queue is not there yet");
            }
            taken.addAll(events);
        };
        PublishedEvents published = PublishedEvents.skippingPublished(state.resolve("published-events"), failing);
        assertThrows(IllegalStateException.class, () -> published.publish(List.of(FIRST)));

        refuse[0] = false;
        PublishedEvents.skippingPublished(state.resolve("published-events"), failing).publish(List.of(FIRST));

        assertEquals(List.of(FIRST), taken);
    }

    @Test
    void aDocumentWithoutAnId_shouldBePublishedEveryTime() {
        String anonymous = "{\"type\":\"key.created\"}";
        PublishedEvents published = PublishedEvents.skippingPublished(state.resolve("published-events"), sink);

        published.publish(List.of(anonymous));
        published.publish(List.of(anonymous, FIRST));
        published.publish(List.of(FIRST));

        assertEquals(List.of(anonymous, anonymous, FIRST), taken);
    }
}
