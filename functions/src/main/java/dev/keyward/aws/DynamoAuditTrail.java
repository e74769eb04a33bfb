package dev.keyward.aws;

import static dev.keyward.aws.Items.keyOf;
import static dev.keyward.aws.Items.n;
import static dev.keyward.aws.Items.s;

import dev.keyward.core.AuditAction;
import dev.keyward.core.AuditEvent;
import dev.keyward.core.AuditTrail;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Audit events in the keys table, in a partition of their own per account:
 * {@code pk=AUDIT#{accountId}, sk=EVENT#{evt_id}} with action, keyId, at, caller and
 * {@code expiresAt} (epoch seconds), the table's TTL attribute, {@link AuditTrail#RETENTION} after the event.
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
    public void record(AuditEvent event) {
        Map<String, AttributeValue> item = new HashMap<>(keyOf(auditPk(event.accountId()), SK_PREFIX + event.id()));
        item.put("eventId", s(event.id()));
        item.put("action", s(event.action().wireName()));
        item.put("keyId", s(event.keyId()));
        item.put("at", s(event.at().toString()));
        if (event.caller() != null) {
            item.put("caller", s(event.caller()));
        }
        item.put("expiresAt", n(event.at().plus(RETENTION).getEpochSecond()));
        try {
            AwsErrors.retryingConflicts(() -> dynamoDb.putItem(p -> p.tableName(table).item(item)));
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
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
