package dev.keyward.core;

import dev.keyward.memory.MemoryAuditTrail;
import java.util.List;

/** The in-memory {@link AuditTrail}, failing on request, for unit tests of the use cases. */
final class InMemoryAuditTrail extends MemoryAuditTrail {
    final List<AuditEvent> events = super.events;
    RuntimeException failRecord;

    @Override
    public synchronized void record(AuditEvent event) {
        if (failRecord != null) {
            throw failRecord;
        }
        super.record(event);
    }

    List<String> actions() {
        return events.stream().map(e -> e.action().wireName() + " " + e.keyId()).toList();
    }
}
