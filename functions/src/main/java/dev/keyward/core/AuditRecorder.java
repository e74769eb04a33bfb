package dev.keyward.core;

import java.util.Map;

/**
 * Records the view of a secret for the key use cases: its event (and audit entry) is written before
 * the secret is read, and a failure to write it fails the request. A change's event is no call of
 * its own: the stores write it in the change's transaction ({@link ChangeEvent}).
 */
final class AuditRecorder {
    private final AuditTrail audit;
    private final ChangeEvents events;

    AuditRecorder(AuditTrail audit, ChangeEvents events) {
        this.audit = audit;
        this.events = events;
    }

    /** Records that {@code caller} is about to see the key's secret; throws when it cannot. */
    void secretViewed(ApiKey key, String caller) {
        audit.record(events.key(EventType.KEY_SECRET_VIEWED, key, ChangeEvent.Actor.admin(caller), Map.of()));
    }
}
