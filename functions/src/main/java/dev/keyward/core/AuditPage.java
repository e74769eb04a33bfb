package dev.keyward.core;

import java.util.List;

/** One page of an account's audit trail, newest first; {@code nextCursor} is null on the last page. */
public record AuditPage(List<AuditEvent> events, String nextCursor) {
    public AuditPage {
        events = List.copyOf(events);
    }
}
