package dev.keyward.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An event: what happened to a key or an account's settings, as Keyward publishes it (to
 * EventBridge as the {@code Detail}, and to webhooks as the body). infra/events.schema.json is its
 * schema. It is written in the same DynamoDB transaction as the change it reports (a transactional
 * outbox), so it exists exactly when its change committed, and it keeps its {@link #id} on every
 * delivery: consumers deduplicate by it. It names ids, never a secret nor a key's name.
 *
 * @param keyId    null for {@link EventType#SETTINGS_UPDATED}
 * @param clientId null for {@link EventType#SETTINGS_UPDATED}
 * @param data     what the type adds (see the schema), values JSON gives: strings, numbers, lists, null
 */
public record ChangeEvent(String id, EventType type, Instant time, String accountId, String keyId, String clientId,
                          Actor actor, Map<String, Object> data) {
    /** The document's {@code version}: a change that breaks a consumer gets a new one. */
    public static final String VERSION = "1";
    /** Its {@code time}: always with milliseconds, always UTC. */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    public ChangeEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(actor, "actor");
        if ((keyId == null) != (type == EventType.SETTINGS_UPDATED)) {
            throw new IllegalArgumentException("a key's event names its key; a settings event none");
        }
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** Who caused it. */
    public record Actor(String type, String id) {
        public static final String ADMIN = "admin";
        public static final String SYSTEM = "system";
        public static final String SECRET_SCANNING = "secret-scanning";
        public static final String INTEGRATION = "integration";

        public Actor {
            Objects.requireNonNull(type, "type");
        }

        /** An admin's request, signed by {@code caller} (null when the request carried none). */
        public static Actor admin(String caller) {
            return new Actor(ADMIN, caller);
        }

        public static Actor system() {
            return new Actor(SYSTEM, null);
        }

        public static Actor secretScanning() {
            return new Actor(SECRET_SCANNING, null);
        }

        /** The audit trail's caller: the principal for a request, else who acted ("system", "secret-scanning"). */
        public String auditCaller() {
            return ADMIN.equals(type) || INTEGRATION.equals(type) ? id : type;
        }
    }

    /**
     * The audit trail's action for this event, or null when it is no entry of the audit trail (an
     * expiry warning, a settings change, the revocation of a leaked key, whose deletion is the entry).
     */
    public AuditAction audited() {
        return switch (type) {
            case KEY_CREATED -> AuditAction.CREATED;
            case KEY_SECRET_VIEWED -> AuditAction.SECRET_VIEWED;
            case KEY_UPDATED -> updated();
            case KEY_ROTATED -> AuditAction.ROTATED;
            case KEY_DELETED -> AuditAction.DELETED;
            case KEY_LEAKED -> "flagged".equals(data.get("action")) ? AuditAction.LEAK_REPORTED : null;
            case KEY_EXPIRING, KEY_EXPIRED, SETTINGS_UPDATED -> null;
        };
    }

    /** A suspension or a resumption above all, then a rename alone, then any other change. */
    private AuditAction updated() {
        Object enabled = data.get("enabled");
        if (enabled instanceof Boolean on) {
            return on ? AuditAction.ENABLED : AuditAction.DISABLED;
        }
        return List.of("name").equals(data.get("changed")) ? AuditAction.RENAMED : AuditAction.UPDATED;
    }

    /** The audit trail's entry for it; only when {@link #audited} is not null. */
    public AuditEvent auditEvent() {
        return new AuditEvent(accountId, id, audited(), keyId, time, actor.auditCaller());
    }

    /** The document as published, in the schema's order: the values JSON writes. */
    public Map<String, Object> document() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("id", id);
        document.put("type", type.wireName());
        document.put("version", VERSION);
        document.put("time", TIME.format(time));
        document.put("accountId", accountId);
        document.put("keyId", keyId);
        document.put("clientId", clientId);
        Map<String, Object> by = new LinkedHashMap<>();
        by.put("type", actor.type());
        by.put("id", actor.id());
        document.put("actor", by);
        document.put("data", data);
        return document;
    }

    /** An instant as {@code time} and the data's instants are written. */
    public static String time(Instant at) {
        return at == null ? null : TIME.format(at);
    }
}
