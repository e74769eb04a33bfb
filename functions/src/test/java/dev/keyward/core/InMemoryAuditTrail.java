package dev.keyward.core;

import dev.keyward.memory.MemoryAuditTrail;
import java.util.List;

/** The in-memory {@link AuditTrail}, failing on request, for unit tests of the use cases. */
final class InMemoryAuditTrail extends MemoryAuditTrail {
    final List<AuditEvent> events = super.events;
    final List<ChangeEvent> published = super.published;
    RuntimeException failRecord;

    @Override
    public synchronized void record(ChangeEvent event) {
        if (failRecord != null) {
            throw failRecord;
        }
        super.record(event);
    }

    @Override
    public synchronized boolean recordOnce(ChangeEvent event, String key) {
        if (failRecord != null) {
            throw failRecord;
        }
        return super.recordOnce(event, key);
    }

    List<String> actions() {
        return events.stream().map(e -> e.action().wireName() + " " + e.keyId()).toList();
    }

    /** The published events' types and key ids, in order. */
    synchronized List<String> types() {
        return published.stream().map(e -> e.type().wireName() + " " + e.keyId()).toList();
    }
}
