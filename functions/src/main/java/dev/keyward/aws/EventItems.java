package dev.keyward.aws;

import static dev.keyward.aws.Items.keyOf;
import static dev.keyward.aws.Items.n;
import static dev.keyward.aws.Items.s;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.AuditAction;
import dev.keyward.core.AuditTrail;
import dev.keyward.core.ChangeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The transactional outbox: each {@link ChangeEvent} is an item of the account's {@code AUDIT#}
 * partition, put in the same transaction as the change it reports, holding the published document
 * in its {@value #EVENT} attribute. The table's stream carries every new item with that attribute
 * to the publisher ({@code PublishEventsFunction}), which sends the document as it is, so the
 * event's id is the same on every delivery.
 *
 * <p>An event that is an entry of the audit trail ({@link ChangeEvent#audited}) is that entry
 * ({@code sk=EVENT#{evt_id}}, with the audit trail's attributes beside); the others (expiry
 * warnings, settings changes, a leaked key's revocation) are {@code sk=NOTICE#{evt_id}}, or, when
 * they must be written once only, {@code sk=ONCE#{what}} with a condition. All expire with the
 * audit trail ({@link AuditTrail#RETENTION}).
 */
public final class EventItems {
    /** The attribute that makes an item an event to publish: the document, as JSON. */
    public static final String EVENT = "event";
    static final String NOTICE_PREFIX = "NOTICE#";
    static final String ONCE_PREFIX = "ONCE#";

    /** Writes nulls, which the schema requires (keyId, clientId, actor.id, data's members). */
    private static final JSON WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    private EventItems() {
    }

    /** The event's item: its audit entry, or its notice. */
    static Map<String, AttributeValue> item(ChangeEvent event) {
        AuditAction action = event.audited();
        return item(event, action == null ? NOTICE_PREFIX + event.id() : Items.EVENT_PREFIX + event.id());
    }

    static Map<String, AttributeValue> item(ChangeEvent event, String sk) {
        Map<String, AttributeValue> item = new HashMap<>(keyOf(Items.AUDIT_PREFIX + event.accountId(), sk));
        item.put("eventId", s(event.id()));
        AuditAction action = event.audited();
        if (action != null && sk.startsWith(Items.EVENT_PREFIX)) {
            item.put("action", s(action.wireName()));
            item.put("keyId", s(event.keyId()));
            item.put("at", s(event.time().toString()));
            String caller = event.actor().auditCaller();
            if (caller != null) {
                item.put("caller", s(caller));
            }
        }
        item.put(EVENT, s(json(event)));
        item.put("expiresAt", n(event.time().plus(AuditTrail.RETENTION).getEpochSecond()));
        return item;
    }

    /** The put of the event's item, for the transaction of its change. */
    static TransactWriteItem put(String table, ChangeEvent event) {
        Map<String, AttributeValue> item = item(event);
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build();
    }

    /** The document as published: JSON, nulls written. */
    public static String json(ChangeEvent event) {
        try {
            return WRITER.asString(event.document());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
