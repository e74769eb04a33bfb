package dev.keyward.aws;

import static dev.keyward.aws.DynamoKeyStore.accountPk;
import static dev.keyward.aws.DynamoKeyStore.keyOf;
import static dev.keyward.aws.DynamoKeyStore.n;
import static dev.keyward.aws.DynamoKeyStore.s;

import dev.keyward.core.AuditAction;
import dev.keyward.core.AuditEvent;
import dev.keyward.core.AuditTrail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Audit events in the keys table, beside the account's keys:
 * {@code pk=ACCOUNT#{accountId}, sk=AUDIT#{evt_id}} with action, keyId, at, caller and
 * {@code expiresAt} (epoch seconds), the table's TTL attribute, {@link AuditTrail#RETENTION} after the event.
 */
public final class DynamoAuditTrail implements AuditTrail {
    static final String AUDIT_PREFIX = "AUDIT#";
    private static final String DEPENDENCY = "DynamoDB";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoAuditTrail(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void record(AuditEvent event) {
        Map<String, AttributeValue> item = new HashMap<>(keyOf(accountPk(event.accountId()), AUDIT_PREFIX + event.id()));
        item.put("eventId", s(event.id()));
        item.put("action", s(event.action().wireName()));
        item.put("keyId", s(event.keyId()));
        item.put("at", s(event.at().toString()));
        if (event.caller() != null) {
            item.put("caller", s(event.caller()));
        }
        item.put("expiresAt", n(event.at().plus(RETENTION).getEpochSecond()));
        try {
            dynamoDb.putItem(p -> p.tableName(table).item(item));
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    @Override
    public Page list(String accountId, int limit, String afterId) {
        Map<String, AttributeValue> values = Map.of(":pk", s(accountPk(accountId)), ":prefix", s(AUDIT_PREFIX));
        QueryResponse response = DynamoKeyStore.call(() -> dynamoDb.query(q -> {
            q.tableName(table)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    // one more than asked, to know whether a next page exists without an empty last page
                    .limit(limit + 1);
            if (afterId != null) {
                q.exclusiveStartKey(keyOf(accountPk(accountId), AUDIT_PREFIX + afterId));
            }
        }));
        List<AuditEvent> events = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            if (events.size() == limit) {
                return new Page(events, events.get(limit - 1).id());
            }
            events.add(toEvent(accountId, item));
        }
        return new Page(events, null);
    }

    private static AuditEvent toEvent(String accountId, Map<String, AttributeValue> item) {
        AttributeValue caller = item.get("caller");
        return new AuditEvent(accountId, item.get("eventId").s(), AuditAction.fromWireName(item.get("action").s()),
                item.get("keyId").s(), Instant.parse(item.get("at").s()), caller == null ? null : caller.s());
    }
}
