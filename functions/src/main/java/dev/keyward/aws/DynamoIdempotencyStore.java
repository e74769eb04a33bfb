package dev.keyward.aws;

import static dev.keyward.aws.Items.keyOf;
import static dev.keyward.aws.Items.n;
import static dev.keyward.aws.Items.s;

import dev.keyward.core.ApiKey;
import dev.keyward.core.Networks;
import dev.keyward.core.IdempotencyRecord;
import dev.keyward.core.IdempotencyStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Idempotency records in the keys table, under their own partition per account so that IAM can
 * confine the writers that need them ({@code dynamodb:LeadingKeys} {@code IDEMPOTENCY#*}):
 *
 * <pre>
 * pk=IDEMPOTENCY#{accountId}  sk={Idempotency-Key}
 *   fingerprint S, keyId S, attempt N, owner S, leaseUntil N (epoch ms), expiresAt N (epoch s, the table's TTL)
 *   once done:  secretRef S, secretRequestId S, answeredAt S, and the answer's key: name S, clientId S,
 *               createdAt S, createdBy S?, lastUsedAt S?, keyExpiresAt S?, scopes L?, leakedAt S?,
 *               leakedUrl S?, disabled BOOL?, allowedCidrs L?; a rotation's previousValidUntil S?
 * </pre>
 *
 * No secret is stored: a replay reads it back from Secrets Manager by reference. DynamoDB's TTL
 * deletes expired items within days, not at once, so every condition also compares expiresAt.
 */
public final class DynamoIdempotencyStore extends DynamoAdapter implements IdempotencyStore {
    static final String PK_PREFIX = Items.IDEMPOTENCY_PREFIX;


    public DynamoIdempotencyStore(DynamoDbClient dynamoDb, String table) {
        super(dynamoDb, table);
    }

    private static Map<String, AttributeValue> key(String accountId, String idempotencyKey) {
        return keyOf(PK_PREFIX + accountId, idempotencyKey);
    }

    @Override
    public boolean create(IdempotencyRecord record, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(record.accountId(), record.key()));
        item.put("fingerprint", s(record.fingerprint()));
        item.put("keyId", s(record.keyId()));
        item.put("attempt", n(record.attempt()));
        item.put("owner", s(record.owner()));
        item.put("leaseUntil", n(record.leaseUntil().toEpochMilli()));
        item.put("expiresAt", n(record.expiresAt().getEpochSecond()));
        return conditional(() -> dynamoDb.putItem(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk) OR expiresAt <= :now")
                .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))));
    }

    @Override
    public Optional<IdempotencyRecord> find(String accountId, String idempotencyKey) {
        Map<String, AttributeValue> item = call(() -> dynamoDb.getItem(g -> g.tableName(table)
                .key(key(accountId, idempotencyKey)).consistentRead(true)).item());
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        IdempotencyRecord.Result result = null;
        if (item.containsKey("secretRef")) {
            java.util.SortedSet<String> scopes = new java.util.TreeSet<>();
            if (item.containsKey("scopes")) {
                item.get("scopes").l().forEach(scope -> scopes.add(scope.s()));
            }
            Instant leakedAt = instant(item, "leakedAt");
            ApiKey key = new ApiKey(accountId, item.get("keyId").s(), item.get("name").s(), item.get("clientId").s(),
                    Instant.parse(item.get("createdAt").s()), text(item, "createdBy"), instant(item, "lastUsedAt"),
                    instant(item, "keyExpiresAt"), scopes,
                    leakedAt == null ? null : new ApiKey.Leak(leakedAt, text(item, "leakedUrl")),
                    !item.containsKey("disabled"),
                    item.containsKey("allowedCidrs")
                            ? Networks.stored(item.get("allowedCidrs").l().stream().map(AttributeValue::s).toList())
                            : Networks.ANY);
            Instant answeredAt = instant(item, "answeredAt");
            result = new IdempotencyRecord.Result(key, item.get("secretRef").s(), item.get("secretRequestId").s(),
                    instant(item, "previousValidUntil"),
                    answeredAt != null ? answeredAt : key.createdAt()); // records written before answeredAt was kept
        }
        return Optional.of(new IdempotencyRecord(accountId, idempotencyKey, item.get("fingerprint").s(),
                item.get("keyId").s(), Integer.parseInt(item.get("attempt").n()), item.get("owner").s(),
                Instant.ofEpochMilli(Long.parseLong(item.get("leaseUntil").n())),
                Instant.ofEpochSecond(Long.parseLong(item.get("expiresAt").n())), result));
    }

    @Override
    public boolean takeOver(IdempotencyRecord current, IdempotencyRecord next, Instant now) {
        return conditional(() -> dynamoDb.updateItem(u -> u.tableName(table).key(key(current.accountId(), current.key()))
                .updateExpression("SET attempt = :next, #owner = :owner, leaseUntil = :lease")
                .expressionAttributeNames(Map.of("#owner", "owner"))
                .conditionExpression("attempt = :attempt AND leaseUntil <= :nowMillis AND expiresAt > :now"
                        + " AND attribute_not_exists(secretRef)")
                .expressionAttributeValues(Map.of(":next", n(next.attempt()), ":owner", s(next.owner()),
                        ":lease", n(next.leaseUntil().toEpochMilli()),
                        ":attempt", n(current.attempt()), ":nowMillis", n(now.toEpochMilli()),
                        ":now", n(now.getEpochSecond())))));
    }

    @Override
    public void complete(IdempotencyRecord record, IdempotencyRecord.Result result) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":attempt", n(record.attempt()));
        StringBuilder update = new StringBuilder("SET ");
        Map<String, AttributeValue> fields = new HashMap<>();
        ApiKey key = result.key();
        fields.put("secretRef", s(result.secretRef()));
        fields.put("secretRequestId", s(result.secretRequestId()));
        fields.put("name", s(key.name()));
        fields.put("clientId", s(key.clientId()));
        fields.put("createdAt", s(key.createdAt().toString()));
        if (key.createdBy() != null) {
            fields.put("createdBy", s(key.createdBy()));
        }
        if (key.lastUsedAt() != null) {
            fields.put("lastUsedAt", s(key.lastUsedAt().toString()));
        }
        if (key.expiresAt() != null) {
            fields.put("keyExpiresAt", s(key.expiresAt().toString()));
        }
        if (!key.scopes().isEmpty()) {
            fields.put("scopes", AttributeValue.fromL(key.scopes().stream().map(Items::s).toList()));
        }
        if (key.leaked() != null) {
            fields.put("leakedAt", s(key.leaked().at().toString()));
            if (key.leaked().url() != null) {
                fields.put("leakedUrl", s(key.leaked().url()));
            }
        }
        if (!key.enabled()) {
            fields.put("disabled", AttributeValue.fromBool(true));
        }
        if (!key.networks().isAny()) {
            fields.put("allowedCidrs", AttributeValue.fromL(key.networks().texts().stream().map(Items::s).toList()));
        }
        if (result.previousValidUntil() != null) {
            fields.put("previousValidUntil", s(result.previousValidUntil().toString()));
        }
        fields.put("answeredAt", s(result.answeredAt().toString()));
        Map<String, String> names = new HashMap<>();
        fields.forEach((name, value) -> {
            update.append(update.length() > 4 ? ", " : "").append('#').append(name).append(" = :").append(name);
            names.put("#" + name, name);
            values.put(":" + name, value);
        });
        conditional(() -> dynamoDb.updateItem(u -> u.tableName(table).key(key(record.accountId(), record.key()))
                .updateExpression(update.toString())
                .conditionExpression("attempt = :attempt")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)));
    }

    @Override
    public void release(IdempotencyRecord record) {
        conditional(() -> dynamoDb.updateItem(u -> u.tableName(table).key(key(record.accountId(), record.key()))
                .updateExpression("SET leaseUntil = :zero")
                .conditionExpression("attempt = :attempt AND attribute_not_exists(secretRef)")
                .expressionAttributeValues(Map.of(":zero", n(0), ":attempt", n(record.attempt())))));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String text = text(item, name);
        return text == null ? null : Instant.parse(text);
    }
}
