package dev.keyward.aws;

import static dev.keyward.aws.KeysTable.PK;
import static dev.keyward.aws.KeysTable.SK;

import dev.keyward.core.ApiKey;
import dev.keyward.core.KeyStore;
import dev.keyward.core.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Keys in one DynamoDB table.
 *
 * <pre>
 * key      pk=ACCOUNT#{accountId}  sk=KEY#{keyId}    name, clientId, secretArn, createdAt, createdBy, lastUsedAt?
 * client   pk=CLIENT#{clientId}    sk=CLIENT         accountId, keyId, secretHash, otherHashes?, revision?, rotationLeaseUntil?
 * account  pk=ACCOUNT#{accountId}  sk=META           keyCount
 * audit    pk=AUDIT#{accountId}    sk=EVENT#{evt_id} action, keyId, at, caller?, expiresAt (TTL)
 * note     pk=SECRET_NOTE          sk={accountId}#{keyId}  accountId, keyId, notedAt (epoch ms)
 * hash     pk=SECRET_HASH#{sha256} sk=SECRET_HASH    accountId, keyId, clientId, expiresAt? (TTL)
 * </pre>
 *
 * A secret-hash item exists for every secret a client item accepts (current, in a grace period,
 * of a rotation under way), written in the same transaction as the client item, so a secret
 * scanner's report finds its key by the secret alone. When its secret stops being accepted
 * (the key deleted, the secret rotated out) the item gets an {@code expiresAt}: a report of that
 * secret is still known to be ours for {@link #RETIRED_HASH_KEPT}, with nothing left to revoke.
 *
 * The client item's secret fields are {@link DynamoClientStore}'s; audit items are {@link DynamoAuditTrail}'s.
 * Each kind of item that a function writes on its own has its own partition-key prefix, so the
 * function's IAM policy can confine its writes to that kind ({@code dynamodb:LeadingKeys}).
 *
 * The key and client items are written and removed in one transaction together with the count,
 * so a Client ID is verifiable exactly as long as its key exists, with one consistent GetItem.
 * Secret notes mark secrets that may have no key; they live only while a create or delete is
 * under way, or after one failed half-way, so their one partition stays small.
 */
public final class DynamoKeyStore implements KeyStore {
    private static final String DEPENDENCY = "DynamoDB";
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    static final String CLIENT_SK = "CLIENT";
    static final String META = "META";
    static final String KEY_PREFIX = "KEY#";
    static final String NOTE_PK = "SECRET_NOTE";
    static final String HASH_PREFIX = "SECRET_HASH#";
    static final String HASH_SK = "SECRET_HASH";
    static final Duration RETIRED_HASH_KEPT = Duration.ofDays(400);

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoKeyStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    static String accountPk(String accountId) {
        return "ACCOUNT#" + accountId;
    }

    static String clientPk(String clientId) {
        return "CLIENT#" + clientId;
    }

    static Map<String, AttributeValue> keyOf(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    /** The lookup from a secret's hash to its key; with {@code retiredAt}, one that expires. */
    static TransactWriteItem hashItem(String table, String secretHash, String accountId, String keyId, String clientId,
                                      Instant retiredAt) {
        Map<String, AttributeValue> item = new HashMap<>(keyOf(HASH_PREFIX + secretHash, HASH_SK));
        item.put("accountId", s(accountId));
        item.put("keyId", s(keyId));
        item.put("clientId", s(clientId));
        if (retiredAt != null) {
            item.put("expiresAt", n(retiredAt.plus(RETIRED_HASH_KEPT).getEpochSecond()));
        }
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build();
    }

    static Map<String, AttributeValue> noteKey(String accountId, String keyId) {
        return keyOf(NOTE_PK, accountId + "#" + keyId);
    }

    static Map<String, AttributeValue> noteItem(String accountId, String keyId, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(noteKey(accountId, keyId));
        item.put("accountId", s(accountId));
        item.put("keyId", s(keyId));
        item.put("notedAt", n(at.toEpochMilli()));
        return item;
    }

    @Override
    public Insert insert(ApiKey key, String secretHash, String secretRef, int limit) {
        Map<String, AttributeValue> keyItem = new HashMap<>(keyOf(accountPk(key.accountId()), KEY_PREFIX + key.id()));
        keyItem.put("keyId", s(key.id()));
        keyItem.put("name", s(key.name()));
        keyItem.put("clientId", s(key.clientId()));
        keyItem.put("secretArn", s(secretRef));
        keyItem.put("createdAt", s(key.createdAt().toString()));
        if (key.createdBy() != null) {
            keyItem.put("createdBy", s(key.createdBy()));
        }
        Map<String, AttributeValue> clientItem = new HashMap<>(keyOf(clientPk(key.clientId()), CLIENT_SK));
        clientItem.put("accountId", s(key.accountId()));
        clientItem.put("keyId", s(key.id()));
        clientItem.put("secretHash", s(secretHash));

        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(keyItem)
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(clientItem)
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table)
                        .key(keyOf(accountPk(key.accountId()), META))
                        .updateExpression("SET keyCount = if_not_exists(keyCount, :zero) + :one")
                        .conditionExpression("attribute_not_exists(keyCount) OR keyCount < :limit")
                        .expressionAttributeValues(Map.of(":zero", n(0), ":one", n(1), ":limit", n(limit)))).build(),
                // the secret now has its key: nothing left for the sweep
                TransactWriteItem.builder().delete(d -> d.tableName(table)
                        .key(noteKey(key.accountId(), key.id()))).build(),
                // a leak report finds the key from the secret
                hashItem(table, secretHash, key.accountId(), key.id(), key.clientId(), null));
        TransactionCanceledException refused = transact(writes, "create " + key.accountId() + " " + key.id());
        if (refused == null) {
            return Insert.SAVED;
        }
        List<CancellationReason> reasons = refused.cancellationReasons();
        if (conditionFailed(reasons, 0) || conditionFailed(reasons, 1)) {
            // the key (or its client) is there already: an earlier attempt's answer was lost
            return Insert.ALREADY_SAVED;
        }
        return Insert.LIMIT_REACHED;
    }

    @Override
    public Optional<StoredKey> find(String accountId, String keyId) {
        Map<String, AttributeValue> item = call(() -> dynamoDb.getItem(g -> g.tableName(table)
                .key(keyOf(accountPk(accountId), KEY_PREFIX + keyId)).consistentRead(true)).item());
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StoredKey(toKey(accountId, item), item.get("secretArn").s()));
    }

    @Override
    public Optional<ApiKey> rename(String accountId, String keyId, String name) {
        try {
            Map<String, AttributeValue> item = AwsErrors.retryingConflicts(() -> dynamoDb.updateItem(u -> u.tableName(table)
                    .key(keyOf(accountPk(accountId), KEY_PREFIX + keyId))
                    // "name" is a DynamoDB reserved word
                    .updateExpression("SET #name = :name")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#name", "name"))
                    .expressionAttributeValues(Map.of(":name", s(name)))
                    .returnValues(ReturnValue.ALL_NEW))).attributes();
            return Optional.of(toKey(accountId, item));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    @Override
    public int count(String accountId) {
        Map<String, AttributeValue> item = call(() -> dynamoDb.getItem(g -> g.tableName(table)
                .key(keyOf(accountPk(accountId), META)).consistentRead(true)
                .projectionExpression("keyCount")).item());
        AttributeValue count = item == null ? null : item.get("keyCount");
        return count == null ? 0 : Integer.parseInt(count.n());
    }

    @Override
    public Page list(String accountId, int limit, String afterKeyId) {
        NewestFirst.Slice<ApiKey> slice = NewestFirst.page(dynamoDb, table, accountPk(accountId), KEY_PREFIX, limit,
                afterKeyId, item -> toKey(accountId, item), ApiKey::id);
        return new Page(slice.items(), slice.lastId());
    }

    @Override
    public boolean delete(StoredKey stored, Instant at) {
        ApiKey key = stored.key();
        String accountId = key.accountId();
        String keyId = key.id();
        // every secret the client accepts is retired with it. A secret that a rotation racing this
        // delete adds after this read keeps a lookup without expiry: harmless, as a report of it
        // finds no client and so nothing to act on.
        Set<String> hashes = new LinkedHashSet<>();
        Map<String, AttributeValue> client = call(() -> dynamoDb.getItem(g -> g.tableName(table)
                .key(keyOf(clientPk(key.clientId()), CLIENT_SK)).consistentRead(true)).item());
        if (client != null && client.containsKey("secretHash")) {
            hashes.add(client.get("secretHash").s());
            AttributeValue others = client.get("otherHashes");
            if (others != null && others.hasM()) {
                hashes.addAll(others.m().keySet());
            }
        }
        // unique to this call, and kept in the note the transaction writes: when the transaction is
        // refused because the key is gone, the note tells whether an earlier attempt of this call
        // removed it (its answer lost) or another delete did
        String operation = "delete " + accountId + " " + keyId + " " + UUID.randomUUID();
        String token = AwsErrors.requestToken(operation);
        Map<String, AttributeValue> note = noteItem(accountId, keyId, at);
        note.put("deletedBy", s(token));
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(table)
                        .key(keyOf(accountPk(accountId), KEY_PREFIX + keyId))
                        .conditionExpression("attribute_exists(pk)")).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(table)
                        .key(keyOf(clientPk(key.clientId()), CLIENT_SK))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table)
                        .key(keyOf(accountPk(accountId), META))
                        .updateExpression("ADD keyCount :minusOne")
                        .expressionAttributeValues(Map.of(":minusOne", n(-1)))).build(),
                // the secret outlives its key until it is destroyed: the sweep finds it if that fails
                TransactWriteItem.builder().put(p -> p.tableName(table).item(note)).build()));
        hashes.forEach(hash -> writes.add(hashItem(table, hash, accountId, keyId, key.clientId(), at)));
        if (transact(writes, operation) == null) {
            return true;
        }
        Map<String, AttributeValue> noted = call(() -> dynamoDb.getItem(g -> g.tableName(table)
                .key(noteKey(accountId, keyId)).consistentRead(true)).item());
        return noted != null && noted.containsKey("deletedBy") && token.equals(noted.get("deletedBy").s());
    }

    /**
     * Runs the transaction with a request token derived from {@code operation}, so that the
     * SDK's retry of a transaction that was applied but whose answer was lost succeeds instead
     * of failing its own conditions (DynamoDB honours the token for ten minutes). Conflicts are
     * retried ({@link AwsErrors#retryingConflicts}).
     *
     * @return null when it was applied, or the cancellation when a condition refused it
     */
    private TransactionCanceledException transact(List<TransactWriteItem> writes, String operation) {
        String token = AwsErrors.requestToken(operation);
        try {
            AwsErrors.retryingConflicts(() -> dynamoDb.transactWriteItems(t -> t.transactItems(writes).clientRequestToken(token)));
            return null;
        } catch (TransactionCanceledException e) {
            if (e.hasCancellationReasons() && e.cancellationReasons().stream().anyMatch(r -> CONDITION_FAILED.equals(r.code()))) {
                return e;
            }
            throw AwsErrors.translate(DEPENDENCY, e);
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    private static boolean conditionFailed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && CONDITION_FAILED.equals(reasons.get(index).code());
    }

    @Override
    public void noteSecret(String accountId, String keyId, Instant at) {
        call(() -> dynamoDb.putItem(p -> p.tableName(table).item(noteItem(accountId, keyId, at))));
    }

    @Override
    public void forgetSecret(String accountId, String keyId) {
        call(() -> dynamoDb.deleteItem(d -> d.tableName(table).key(noteKey(accountId, keyId))));
    }

    @Override
    public List<SecretNote> secretNotes(Instant before) {
        List<SecretNote> notes = new ArrayList<>();
        call(() -> {
            dynamoDb.queryPaginator(q -> q.tableName(table)
                            .keyConditionExpression("pk = :pk")
                            .filterExpression("notedAt < :before")
                            .expressionAttributeValues(Map.of(":pk", s(NOTE_PK), ":before", n(before.toEpochMilli()))))
                    .items()
                    .forEach(item -> notes.add(new SecretNote(item.get("accountId").s(), item.get("keyId").s(),
                            Instant.ofEpochMilli(Long.parseLong(item.get("notedAt").n())))));
            return notes;
        });
        return notes;
    }

    static ApiKey toKey(String accountId, Map<String, AttributeValue> item) {
        return new ApiKey(accountId,
                item.get("keyId").s(),
                item.get("name").s(),
                item.get("clientId").s(),
                Instant.parse(item.get("createdAt").s()),
                optional(item, "createdBy"),
                Optional.ofNullable(optional(item, "lastUsedAt")).map(Instant::parse).orElse(null),
                Optional.ofNullable(optional(item, "leakedAt"))
                        .map(at -> new ApiKey.Leak(Instant.parse(at), optional(item, "leakedUrl"))).orElse(null));
    }

    private static String optional(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    /** One DynamoDB call, its conflicts retried and its failures translated. */
    static <T> T call(Supplier<T> request) {
        try {
            return AwsErrors.retryingConflicts(request);
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
