package dev.keyward.aws;

import static dev.keyward.aws.Items.KEY_PREFIX;
import static dev.keyward.aws.Items.accountPk;
import static dev.keyward.aws.Items.keyOf;
import static dev.keyward.aws.Items.n;
import static dev.keyward.aws.Items.s;

import dev.keyward.core.DailyUsage;
import dev.keyward.core.DenialReason;
import dev.keyward.core.UsageStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.UUID;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Usage counts and latest denials in the keys table, in their own partition per key so that IAM
 * can confine the authorizer's writes to them:
 * <pre>
 * usage    pk=USAGE#{accountId}#{keyId}  sk=DAY#{yyyy-MM-dd}  allowed, denied, denied_{reason} (N, added to),
 *                                                             expiresAt (TTL, 90 days after the day)
 * denials  pk=USAGE#{accountId}#{keyId}  sk=DENIED#{newest at}#{id}  denials (L of M: at, reason, route?, sourceIp?),
 *                                                             expiresAt (TTL, 7 days after the newest)
 * </pre>
 * One flush is one request: an {@code UpdateItem} of one day's counts, or a
 * {@code TransactWriteItems} of the days' counts, the flush's denials (one item of up to 20) and
 * the key's lastUsedAt, the latter conditional on the key existing, so a deleted key's counts are
 * dropped with it. The latest denials are read newest item first, and the reading stops as soon
 * as no older item can hold one of the 20 latest: each item's sort key starts with its newest.
 */
public final class DynamoUsageStore extends DynamoAdapter implements UsageStore {
    static final String USAGE_PREFIX = Items.USAGE_PREFIX;
    static final String DAY_PREFIX = Items.DAY_PREFIX;
    static final String DENIED_PREFIX = Items.DENIED_PREFIX;


    public DynamoUsageStore(DynamoDbClient dynamoDb, String table) {
        super(dynamoDb, table);
    }

    static String usagePk(String accountId, String keyId) {
        return USAGE_PREFIX + accountId + "#" + keyId;
    }

    /** The day item's count of denials for {@code reason}. */
    static String deniedAttribute(DenialReason reason) {
        return "denied_" + reason.wireName();
    }

    @Override
    public void add(String accountId, String keyId, Map<LocalDate, Counts> counts, Instant lastUsedAt,
                    List<Denial> denials) {
        List<TransactWriteItem> writes = new ArrayList<>();
        counts.forEach((day, c) -> {
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":allowed", n(c.allowed()), ":denied", n(c.denied()),
                    ":expires", n(day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(RETENTION).getEpochSecond())));
            StringBuilder add = new StringBuilder("ADD allowed :allowed, denied :denied");
            c.deniedBy().forEach((reason, count) -> {
                add.append(", ").append(deniedAttribute(reason)).append(" :").append(reason.wireName());
                values.put(":" + reason.wireName(), n(count));
            });
            writes.add(TransactWriteItem.builder().update(u -> u.tableName(table)
                    .key(keyOf(usagePk(accountId, keyId), DAY_PREFIX + day))
                    .updateExpression(add + " SET expiresAt = :expires")
                    .expressionAttributeValues(values)).build());
        });
        if (!denials.isEmpty()) {
            writes.add(denialsItem(accountId, keyId, denials));
        }
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

    /** The flush's denials as one item, its sort key led by the newest one's time. */
    private TransactWriteItem denialsItem(String accountId, String keyId, List<Denial> denials) {
        Instant newest = denials.stream().map(Denial::at).max(Instant::compareTo).orElseThrow();
        List<AttributeValue> entries = new ArrayList<>(denials.size());
        for (Denial denial : denials) {
            Map<String, AttributeValue> entry = new HashMap<>();
            entry.put("at", s(denial.at().toString()));
            entry.put("reason", s(denial.reason().wireName()));
            if (denial.route() != null) {
                entry.put("route", s(denial.route()));
            }
            if (denial.sourceIp() != null) {
                entry.put("sourceIp", s(denial.sourceIp()));
            }
            entries.add(AttributeValue.fromM(entry));
        }
        Map<String, AttributeValue> item = new HashMap<>(keyOf(usagePk(accountId, keyId),
                DENIED_PREFIX + sortable(newest) + "#" + UUID.randomUUID()));
        item.put("denials", AttributeValue.fromL(entries));
        item.put("expiresAt", n(newest.plus(DENIALS_KEPT).getEpochSecond()));
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build();
    }

    /** An instant as text that sorts in time order: always milliseconds, always UTC. */
    private static String sortable(Instant at) {
        return SORTABLE.format(at);
    }

    private static final java.time.format.DateTimeFormatter SORTABLE =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Override
    public List<Denial> recentDenials(String accountId, String keyId, Instant since) {
        List<Denial> found = new ArrayList<>();
        call(() -> {
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = dynamoDb.query(q -> q.tableName(table).consistentRead(true).scanIndexForward(false)
                        .keyConditionExpression("pk = :pk AND sk BETWEEN :since AND :last")
                        .expressionAttributeValues(Map.of(":pk", s(usagePk(accountId, keyId)),
                                ":since", s(DENIED_PREFIX + sortable(since)), ":last", s(DENIED_PREFIX + "~")))
                        .limit(RECENT_DENIALS).exclusiveStartKey(from));
                for (Map<String, AttributeValue> item : page.items()) {
                    Instant newest = Instant.parse(item.get("sk").s().substring(DENIED_PREFIX.length(),
                            item.get("sk").s().lastIndexOf('#')));
                    if (found.size() >= RECENT_DENIALS && newest.isBefore(found.get(RECENT_DENIALS - 1).at())) {
                        return found; // this item and every older one hold only older denials
                    }
                    item.get("denials").l().forEach(entry -> found.add(denial(entry.m())));
                    found.sort(java.util.Comparator.comparing(Denial::at).reversed());
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
            return found;
        });
        List<Denial> latest = found.stream().filter(d -> !d.at().isBefore(since)).toList();
        return latest.size() > RECENT_DENIALS ? latest.subList(0, RECENT_DENIALS) : latest;
    }

    private static Denial denial(Map<String, AttributeValue> entry) {
        return new Denial(Instant.parse(entry.get("at").s()), DenialReason.fromWireName(entry.get("reason").s()),
                Items.optional(entry, "route"), Items.optional(entry, "sourceIp"));
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
                    .forEach(item -> {
                        Map<DenialReason, Long> by = new java.util.EnumMap<>(DenialReason.class);
                        for (DenialReason reason : DenialReason.values()) {
                            long count = number(item.get(deniedAttribute(reason)));
                            if (count != 0) {
                                by.put(reason, count);
                            }
                        }
                        days.add(new DailyUsage(LocalDate.parse(item.get("sk").s().substring(DAY_PREFIX.length())),
                                number(item.get("allowed")), number(item.get("denied")), by));
                    });
            return days;
        });
        return days;
    }

    private static long number(AttributeValue value) {
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
