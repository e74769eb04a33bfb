package dev.keyward.core;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Makes the {@link ChangeEvent}s the use cases hand to the stores, which write each in the
 * transaction of its change. Ids are {@code evt_} + a ULID from one generator per sandbox, so they
 * grow strictly, as the audit trail's order requires.
 */
public final class ChangeEvents {
    private final Clock clock;
    private final Supplier<String> ids;

    public ChangeEvents(Clock clock) {
        this.clock = clock;
        this.ids = AuditIds.generator(clock);
    }

    /** An event of a key, now. */
    public ChangeEvent key(EventType type, ApiKey key, ChangeEvent.Actor actor, Map<String, Object> data) {
        return key(type, key.accountId(), key.id(), key.clientId(), actor, data);
    }

    public ChangeEvent key(EventType type, String accountId, String keyId, String clientId, ChangeEvent.Actor actor,
                           Map<String, Object> data) {
        return new ChangeEvent(ids.get(), type, now(), accountId, keyId, clientId, actor, data);
    }

    /** An event of the account's settings, now. */
    public ChangeEvent settings(String accountId, ChangeEvent.Actor actor, Map<String, Object> data) {
        return new ChangeEvent(ids.get(), EventType.SETTINGS_UPDATED, now(), accountId, null, null, actor, data);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
