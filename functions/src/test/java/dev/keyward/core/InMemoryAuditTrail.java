package dev.keyward.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An {@link AuditTrail} in a list, for unit tests of the service: the audit entries, and every
 * event written ({@link #published}), whether by {@link #record} or by a store's committed change.
 */
final class InMemoryAuditTrail implements AuditTrail {
    final List<AuditEvent> events = new ArrayList<>();
    final List<ChangeEvent> published = new ArrayList<>();
    private final Set<String> once = new HashSet<>();
    RuntimeException failRecord;

    @Override
    public synchronized void record(ChangeEvent event) {
        if (failRecord != null) {
            throw failRecord;
        }
        committed(event);
    }

    @Override
    public synchronized boolean recordOnce(ChangeEvent event, String key) {
        if (failRecord != null) {
            throw failRecord;
        }
        if (!once.add(event.accountId() + " " + key)) {
            return false;
        }
        published.add(event);
        return true;
    }

    /** An event written in the transaction of a change that committed. */
    synchronized void committed(ChangeEvent event) {
        published.add(event);
        if (event.audited() != null) {
            events.add(event.auditEvent());
        }
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

    /** The published events' types and key ids, in order. */
    synchronized List<String> types() {
        return published.stream().map(e -> e.type().wireName() + " " + e.keyId()).toList();
    }
}
