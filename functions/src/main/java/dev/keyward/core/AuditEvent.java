package dev.keyward.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of an account's audit trail. It holds ids, the action, the time and the caller,
 * never a key's name (admins may put anything there) nor, of course, a secret.
 *
 * @param id     {@code evt_} + a ULID: sorting by id is sorting by time
 * @param caller the IAM principal that made the request, or null when there was none
 */
public record AuditEvent(String accountId, String id, AuditAction action, String keyId, Instant at, String caller) {
    public AuditEvent {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(at, "at");
    }
}
