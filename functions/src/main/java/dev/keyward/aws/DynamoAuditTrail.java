package dev.keyward.aws;

import dev.keyward.core.AuditAction;
import dev.keyward.core.AuditEvent;
import dev.keyward.core.AuditTrail;
import dev.keyward.core.ChangeEvent;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Audit events in the keys table, in a partition of their own per account:
 * {@code pk=AUDIT#{accountId}, sk=EVENT#{evt_id}} with action, keyId, at, caller and
 * {@code expiresAt} (epoch seconds), the table's TTL attribute, {@link AuditTrail#RETENTION} after the event,
 * and the event to publish ({@link EventItems}).
 * Their own partition-key prefix lets IAM ({@code dynamodb:LeadingKeys}) allow the functions
 * that record events to write audit items and nothing else.
 */
public final class DynamoAuditTrail extends DynamoAdapter implements AuditTrail {
    static final String PK_PREFIX = Items.AUDIT_PREFIX;
    static final String SK_PREFIX = Items.EVENT_PREFIX;


    public DynamoAuditTrail(DynamoDbClient dynamoDb, String table) {
        super(dynamoDb, table);
    }

    @Override
    public void record(ChangeEvent event) {
        Map<String, AttributeValue> item = EventItems.item(event);
        call(() -> dynamoDb.putItem(p -> p.tableName(table).item(item)));
    }

    @Override
    public boolean recordOnce(ChangeEvent event, String once) {
        Map<String, AttributeValue> item = EventItems.item(event, EventItems.ONCE_PREFIX + once);
        return conditional(() -> dynamoDb.putItem(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)")));
    }

    @Override
    public Page list(String accountId, int limit, String afterId) {
        NewestFirst.Slice<AuditEvent> slice = NewestFirst.page(dynamoDb, table, auditPk(accountId), SK_PREFIX, limit,
                afterId, item -> toEvent(accountId, item), AuditEvent::id);
        return new Page(slice.items(), slice.lastId());
    }

    static String auditPk(String accountId) {
        return PK_PREFIX + accountId;
    }

    private static AuditEvent toEvent(String accountId, Map<String, AttributeValue> item) {
        AttributeValue caller = item.get("caller");
        return new AuditEvent(accountId, item.get("eventId").s(), AuditAction.fromWireName(item.get("action").s()),
                item.get("keyId").s(), Instant.parse(item.get("at").s()), caller == null ? null : caller.s());
    }
}
