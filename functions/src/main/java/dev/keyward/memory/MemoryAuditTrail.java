package dev.keyward.memory;

import dev.keyward.core.AuditEvent;
import dev.keyward.core.AuditTrail;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** An {@link AuditTrail} in a list. */
public class MemoryAuditTrail implements AuditTrail {
    protected final List<AuditEvent> events = new ArrayList<>();

    @Override
    public synchronized void record(AuditEvent event) {
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
}
