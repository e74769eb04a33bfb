package dev.keyward.memory;

import dev.keyward.core.AuditEvent;
import dev.keyward.core.AuditTrail;
import dev.keyward.core.ChangeEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An {@link AuditTrail} in a list: the audit entries, and every event written ({@link #published}),
 * whether by {@link #record} or in the step of a store's change that committed ({@link #committed}).
 */
public class MemoryAuditTrail implements AuditTrail {
    protected final List<AuditEvent> events = new ArrayList<>();
    protected final List<ChangeEvent> published = new ArrayList<>();
    private final Set<String> once = new HashSet<>();

    @Override
    public synchronized void record(ChangeEvent event) {
        committed(event);
    }

    @Override
    public synchronized boolean recordOnce(ChangeEvent event, String key) {
        if (!once.add(event.accountId() + " " + key)) {
            return false;
        }
        published.add(event);
        return true;
    }

    /** An event written in the step of a change that committed; its audit entry when it has one. */
    public synchronized void committed(ChangeEvent event) {
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
}
