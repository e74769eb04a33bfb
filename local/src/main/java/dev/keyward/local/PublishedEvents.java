package dev.keyward.local;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.events.EventSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * With {@code make run PERSIST=1}, the ids of the events already published, one per line in a
 * file beside the emulator's recording. A restart replays the recording into a fresh emulator,
 * whose table stream then holds every kept event again; with these ids the local API publishes
 * only the events it had not, so a restart neither prints nor delivers old events again. An id is
 * written once every sink has taken its event: a stop between the two publishes that event again
 * at the next start, never loses it (at least once, as deployed).
 */
final class PublishedEvents implements EventSink {
    private final Path file;
    private final EventSink sink;
    private final Set<String> published;

    private PublishedEvents(Path file, EventSink sink, Set<String> published) {
        this.file = file;
        this.sink = sink;
        this.published = published;
    }

    /** {@code sink}, given only the events whose ids {@code file} does not hold yet. */
    static PublishedEvents skippingPublished(Path file, EventSink sink) {
        Set<String> published = new HashSet<>();
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        published.add(line.strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the published events' ids in " + file, e);
        }
        return new PublishedEvents(file, sink, published);
    }

    /** How many events this run and the runs before it published. */
    synchronized int count() {
        return published.size();
    }

    @Override
    public synchronized void publish(List<String> events) {
        List<String> fresh = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String event : events) {
            String id = id(event);
            if (id == null || !published.contains(id)) {
                fresh.add(event);
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        sink.publish(fresh);
        try {
            Files.write(file, ids, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // published already; not noting it only means the next start publishes it again
            System.out.println("events: could not note published event ids in " + file + " (" + e.getMessage() + ")");
        }
        published.addAll(ids);
    }

    /** The event's id, or null for a document without one (published every time: nothing to match it by). */
    private static String id(String event) {
        try {
            Object id = JSON.std.mapFrom(event).get("id");
            return id instanceof String text && !text.isBlank() ? text : null;
        } catch (IOException e) {
            return null;
        }
    }
}
