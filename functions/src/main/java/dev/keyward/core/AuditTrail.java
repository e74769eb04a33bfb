package dev.keyward.core;

import java.time.Duration;
import java.util.List;

/** Where each account's audit trail is kept, for {@link #RETENTION}. */
public interface AuditTrail {
    /** How long an entry is kept; the store expires it afterwards. */
    Duration RETENTION = Duration.ofDays(400);

    /**
     * Writes an event that is a change of its own (the view of a secret): the audit trail's entry when it
     * is one ({@link ChangeEvent#audited}), and the event to publish.
     */
    void record(ChangeEvent event);

    /**
     * Writes {@code event} unless an event was written under {@code once} already (for the account):
     * an expiry warning is sent once per key, expiry and threshold, however often the sweep runs.
     *
     * @return whether it was written now
     */
    boolean recordOnce(ChangeEvent event, String once);

    /** Up to {@code limit} events recorded before {@code afterId} (all when null), newest first. */
    Page list(String accountId, int limit, String afterId);

    /** @param lastId the id to continue after, or null when no event follows */
    record Page(List<AuditEvent> events, String lastId) {
        public Page {
            events = List.copyOf(events);
        }
    }
}
