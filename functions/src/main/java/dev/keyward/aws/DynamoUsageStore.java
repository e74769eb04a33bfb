package dev.keyward.aws;

import static dev.keyward.aws.Items.KEY_PREFIX;
import static dev.keyward.aws.Items.accountPk;
import static dev.keyward.aws.Items.keyOf;
import static dev.keyward.aws.Items.n;
import static dev.keyward.aws.Items.s;

import dev.keyward.core.DailyUsage;
import dev.keyward.core.UsageStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Usage counts in the keys table, in their own partition per key so that IAM can confine the
 * authorizer's writes to them:
 * <pre>
 * usage  pk=USAGE#{accountId}#{keyId}  sk=DAY#{yyyy-MM-dd}  allowed, denied (N, added to), expiresAt (TTL, 90 days after the day)
 * </pre>
 * One flush is one request: an {@code UpdateItem} of one day's counts, or a
 * {@code TransactWriteItems} of the days' counts and the key's lastUsedAt, the latter
 * conditional on the key existing, so a deleted key's counts are dropped with it.
 */
public final class DynamoUsageStore extends DynamoAdapter implements UsageStore {
    static final String USAGE_PREFIX = Items.USAGE_PREFIX;
    static final String DAY_PREFIX = Items.DAY_PREFIX;


    public DynamoUsageStore(DynamoDbClient dynamoDb, String table) {
        super(dynamoDb, table);
    }

    static String usagePk(String accountId, String keyId) {
        return USAGE_PREFIX + accountId + "#" + keyId;
    }

    @Override
    public void add(String accountId, String keyId, Map<LocalDate, Counts> counts, Instant lastUsedAt) {
        List<TransactWriteItem> writes = new ArrayList<>();
        counts.forEach((day, c) -> writes.add(TransactWriteItem.builder().update(u -> u.tableName(table)
                .key(keyOf(usagePk(accountId, keyId), DAY_PREFIX + day))
                .updateExpression("ADD allowed :allowed, denied :denied SET expiresAt = :expires")
                .expressionAttributeValues(Map.of(":allowed", n(c.allowed()), ":denied", n(c.denied()),
                        ":expires", n(day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(RETENTION).getEpochSecond()))))
                .build()));
        if (lastUsedAt != null) {
            writes.add(TransactWriteItem.builder().update(u -> u.tableName(table)
                    .key(keyOf(accountPk(accountId), KEY_PREFIX + keyId))
                    .updateExpression("SET lastUsedAt = :usedAt")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":usedAt", s(lastUsedAt.toString())))).build());
        }
        try {
            if (writes.size() == 1 && lastUsedAt == null) {
                var update = writes.get(0).update();
                dynamoDb.updateItem(u -> u.tableName(table).key(update.key()).updateExpression(update.updateExpression())
                        .expressionAttributeValues(update.expressionAttributeValues()));
            } else if (!writes.isEmpty()) {
                dynamoDb.transactWriteItems(t -> t.transactItems(writes));
            }
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (lastUsedAt != null && reasons.size() == writes.size()
                    && "ConditionalCheckFailed".equals(reasons.get(writes.size() - 1).code())) {
                return; // the key was deleted meanwhile: its counts go with it
            }
            throw AwsErrors.translate(DEPENDENCY, e);
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    @Override
    public List<DailyUsage> days(String accountId, String keyId, LocalDate from, LocalDate to) {
        List<DailyUsage> days = new ArrayList<>();
        call(() -> {
            dynamoDb.queryPaginator(q -> q.tableName(table).consistentRead(true)
                            .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                            .expressionAttributeValues(Map.of(":pk", s(usagePk(accountId, keyId)),
                                    ":from", s(DAY_PREFIX + from), ":to", s(DAY_PREFIX + to))))
                    .items()
                    .forEach(item -> days.add(new DailyUsage(LocalDate.parse(item.get("sk").s().substring(DAY_PREFIX.length())),
                            number(item.get("allowed")), number(item.get("denied")))));
            return days;
        });
        return days;
    }

    private static long number(AttributeValue value) {
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
