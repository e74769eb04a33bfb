package dev.keyward.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** An {@link AuditTrail} in a list, for unit tests of the service. */
final class InMemoryAuditTrail implements AuditTrail {
    final List<AuditEvent> events = new ArrayList<>();
    RuntimeException failRecord;

    @Override
    public synchronized void record(AuditEvent event) {
        if (failRecord != null) {
            throw failRecord;
        }
        events.add(event);
    }

    @Override
    public synchronized Page list(String accountId, int limit, String afterId) {
        List<AuditEvent> newestFirst = new ArrayList<>(events.stream()
                .filter(e -> e.accountId().equals(accountId))
                .filter(e -> afterId == null || e.id().compareTo(afterId) < 0)
                .sorted(Comparator.comparing(AuditEvent::id).reversed()).toList());
        List<AuditEvent> page = newestFirst.subList(0, Math.min(limit, newestFirst.size()));
        return new Page(page, newestFirst.size() > limit ? page.get(limit - 1).id() : null);
    }

    List<String> actions() {
        return events.stream().map(e -> e.action().wireName() + " " + e.keyId()).toList();
    }
}
