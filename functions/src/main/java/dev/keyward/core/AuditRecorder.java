package dev.keyward.core;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * Writes the audit trail for the key use cases. A view of a secret is recorded before the secret
 * is read, and a failure to record it fails the request; a change is recorded after it succeeded,
 * and a failure to record it is only logged.
 */
final class AuditRecorder {
    private final AuditTrail audit;
    private final Clock clock;
    private final EventLog log;
    private final Supplier<String> ids;

    AuditRecorder(AuditTrail audit, Clock clock, EventLog log) {
        this.audit = audit;
        this.clock = clock;
        this.log = log;
        this.ids = AuditIds.generator(clock);
    }

    /** Records that {@code caller} is about to see the key's secret; throws when it cannot. */
    void secretViewed(String accountId, String keyId, String caller) {
        audit.record(event(accountId, AuditAction.SECRET_VIEWED, keyId, caller));
    }

    /** Records a change that succeeded; a failure is logged. */
    void changed(String accountId, AuditAction action, String keyId, String caller) {
        BestEffort.run(log, "audit_not_recorded", accountId, keyId, null,
                () -> audit.record(event(accountId, action, keyId, caller)));
    }

    private AuditEvent event(String accountId, AuditAction action, String keyId, String caller) {
        return new AuditEvent(accountId, ids.get(), action, keyId, clock.instant().truncatedTo(ChronoUnit.MILLIS), caller);
    }
}
