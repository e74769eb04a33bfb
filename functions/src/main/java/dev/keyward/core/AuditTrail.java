package dev.keyward.core;

import java.time.Duration;
import java.util.List;

/** Where each account's audit trail is kept, for {@link #RETENTION}. */
public interface AuditTrail {
    /** How long an entry is kept; the store expires it afterwards. */
    Duration RETENTION = Duration.ofDays(400);

    void record(AuditEvent event);

    /** Up to {@code limit} events recorded before {@code afterId} (all when null), newest first. */
    Page list(String accountId, int limit, String afterId);

    /** @param lastId the id to continue after, or null when no event follows */
    record Page(List<AuditEvent> events, String lastId) {
        public Page {
            events = List.copyOf(events);
        }
    }
}
