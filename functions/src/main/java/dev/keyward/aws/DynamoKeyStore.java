package dev.keyward.aws;

import static dev.keyward.aws.KeysTable.PK;
import static dev.keyward.aws.KeysTable.SK;

import dev.keyward.core.AccountSettings;
import dev.keyward.core.ApiKey;
import dev.keyward.core.ExpiredKey;
import dev.keyward.core.KeyStore;
import dev.keyward.core.KeyUpdate;
import dev.keyward.core.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Keys in one DynamoDB table.
 *
 * <pre>
 * key      pk=ACCOUNT#{accountId}  sk=KEY#{keyId}    name, clientId, secretArn, createdAt, createdBy, lastUsedAt?,
 *                                                    keyExpiresAt?, expiring?, scopes?
 * client   pk=CLIENT#{clientId}    sk=CLIENT         accountId, keyId, secretHash, otherHashes?, revision?, rotationLeaseUntil?,
 *                                                    keyExpiresAt?, scopes?
 * account  pk=ACCOUNT#{accountId}  sk=META           keyCount
 * audit    pk=AUDIT#{accountId}    sk=EVENT#{evt_id} action, keyId, at, caller?, expiresAt (TTL)
 * note     pk=SECRET_NOTE          sk={accountId}#{keyId}  accountId, keyId, notedAt (epoch ms),
 *                                                          sweepUntil (epoch ms) while the sweep destroys its secret
 * settings pk=ACCOUNT#{accountId}  sk=SETTINGS       expiredKeyRetentionDays?
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
 * A key's expiry is {@code keyExpiresAt} (epoch seconds) on both items, never {@code expiresAt}:
 * that is the table's TTL attribute, and TTL would delete the client item behind the key's back.
 * Key items that expire also carry {@code expiring = "KEY"}, which puts them in the sparse index
 * {@value KeysTable#EXPIRING_INDEX} (expiring, keyExpiresAt) that the sweep reads. {@code scopes}
 * is a string set, absent when the key has none.
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
    static final String KEY_EXPIRES_AT = KeysTable.KEY_EXPIRES_AT;
    static final String EXPIRING = KeysTable.EXPIRING;
    static final String EXPIRING_KEY = "KEY";
    static final String SCOPES = "scopes";
    static final String SETTINGS = "SETTINGS";
    static final String RETENTION_DAYS = "expiredKeyRetentionDays";
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
        if (key.expiresAt() != null) {
            keyItem.put(KEY_EXPIRES_AT, n(key.expiresAt().getEpochSecond()));
            keyItem.put(EXPIRING, s(EXPIRING_KEY));
            clientItem.put(KEY_EXPIRES_AT, n(key.expiresAt().getEpochSecond()));
        }
        if (!key.scopes().isEmpty()) {
            keyItem.put(SCOPES, AttributeValue.fromSs(List.copyOf(key.scopes())));
            clientItem.put(SCOPES, AttributeValue.fromSs(List.copyOf(key.scopes())));
        }

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

    /**
     * Writes the name alone, then reads the key: the editing function may name only the attributes
     * it changes and never asks for the whole item back (its IAM policy), which keeps the count,
     * the settings and the key's secretArn out of its reach.
     */
    @Override
    public Optional<ApiKey> rename(String accountId, String keyId, String name) {
        try {
            AwsErrors.retryingConflicts(() -> dynamoDb.updateItem(u -> u.tableName(table)
                    .key(keyOf(accountPk(accountId), KEY_PREFIX + keyId))
                    // "name" is a DynamoDB reserved word
                    .updateExpression("SET #name = :name")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#name", "name"))
                    .expressionAttributeValues(Map.of(":name", s(name)))));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
        return find(accountId, keyId).map(StoredKey::key);
    }

    @Override
    public Optional<ApiKey> update(String accountId, String keyId, KeyUpdate update) {
        if (!update.changesAccess()) {
            return rename(accountId, keyId, update.name());
        }
        Optional<StoredKey> found = find(accountId, keyId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ApiKey key = found.get().key();
        Changes keyChanges = new Changes();
        Changes clientChanges = new Changes();
        if (update.name() != null) {
            keyChanges.set("#name", "name", s(update.name()));
        }
        if (update.expiresAt() != null) {
            if (update.expiresAt().isPresent()) {
                AttributeValue at = n(update.expiresAt().get().getEpochSecond());
                keyChanges.set("#keyExpiresAt", KEY_EXPIRES_AT, at).set("#expiring", EXPIRING, s(EXPIRING_KEY));
                clientChanges.set("#keyExpiresAt", KEY_EXPIRES_AT, at);
            } else {
                keyChanges.remove("#keyExpiresAt", KEY_EXPIRES_AT).remove("#expiring", EXPIRING);
                clientChanges.remove("#keyExpiresAt", KEY_EXPIRES_AT);
            }
        }
        if (update.scopes() != null) {
            if (update.scopes().isEmpty()) {
                keyChanges.remove("#scopes", SCOPES);
                clientChanges.remove("#scopes", SCOPES);
            } else {
                AttributeValue scopes = AttributeValue.fromSs(List.copyOf(update.scopes()));
                keyChanges.set("#scopes", SCOPES, scopes);
                clientChanges.set("#scopes", SCOPES, scopes);
            }
        }
        List<TransactWriteItem> writes = List.of(
                // the key still exists, so its client is still the one changed below: a key's Client ID
                // never changes and key ids are never reused (the condition names no attribute the
                // editing function may not name, clientId included)
                TransactWriteItem.builder().update(u -> u.tableName(table)
                        .key(keyOf(accountPk(accountId), KEY_PREFIX + keyId))
                        .updateExpression(keyChanges.expression())
                        .conditionExpression("attribute_exists(pk)")
                        .expressionAttributeNames(keyChanges.names)
                        .expressionAttributeValues(keyChanges.values.isEmpty() ? null : keyChanges.values)).build(),
                // never brings back the client of a key deleted meanwhile
                TransactWriteItem.builder().update(u -> u.tableName(table)
                        .key(keyOf(clientPk(key.clientId()), CLIENT_SK))
                        .updateExpression(clientChanges.expression())
                        .conditionExpression("attribute_exists(pk)")
                        .expressionAttributeNames(clientChanges.names)
                        .expressionAttributeValues(clientChanges.values.isEmpty() ? null : clientChanges.values))
                        .build());
        // a token of its own: a later PATCH back to the same values must not count as a replay of this one
        TransactionCanceledException refused = transact(writes, "update " + accountId + " " + keyId + " " + UUID.randomUUID());
        return refused == null ? Optional.of(key.with(update)) : Optional.empty();
    }

    /** One UpdateExpression's SET and REMOVE clauses, with their names and values. */
    private static final class Changes {
        final List<String> sets = new ArrayList<>();
        final List<String> removes = new ArrayList<>();
        final Map<String, String> names = new HashMap<>();
        final Map<String, AttributeValue> values = new HashMap<>();

        Changes set(String name, String attribute, AttributeValue value) {
            names.put(name, attribute);
            String placeholder = ":" + name.substring(1);
            values.put(placeholder, value);
            sets.add(name + " = " + placeholder);
            return this;
        }

        Changes remove(String name, String attribute) {
            names.put(name, attribute);
            removes.add(name);
            return this;
        }

        String expression() {
            String expression = sets.isEmpty() ? "" : "SET " + String.join(", ", sets);
            if (!removes.isEmpty()) {
                expression += (expression.isEmpty() ? "" : " ") + "REMOVE " + String.join(", ", removes);
            }
            return expression;
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
        Set<String> hashes = acceptedHashes(key);
        // unique to this call, and kept in the note the transaction writes: when the transaction is
        // refused because the key is gone, the note tells whether an earlier attempt of this call
        // removed it (its answer lost) or another delete did
        String operation = "delete " + accountId + " " + keyId + " " + UUID.randomUUID();
        String token = AwsErrors.requestToken(operation);
        Map<String, AttributeValue> note = noteItem(accountId, keyId, at);
        note.put("deletedBy", s(token));
        List<TransactWriteItem> writes = removal(key, "attribute_exists(pk)", Map.of(), note, hashes, at);
        if (transact(writes, operation) == null) {
            return true;
        }
        Map<String, AttributeValue> noted = call(() -> dynamoDb.getItem(g -> g.tableName(table)
                .key(noteKey(accountId, keyId)).consistentRead(true)).item());
        return noted != null && noted.containsKey("deletedBy") && token.equals(noted.get("deletedBy").s());
    }

    /**
     * The one transaction that removes a key, for {@link #delete} and {@link #deleteExpired}: the
     * key item (on {@code condition}), its client, one off the account's count, the secret's note
     * (the secret outlives its key until it is destroyed: the sweep finds it if that fails), and
     * the retirement of every secret hash its client accepted.
     */
    private List<TransactWriteItem> removal(ApiKey key, String condition, Map<String, AttributeValue> conditionValues,
                                            Map<String, AttributeValue> note, Set<String> hashes, Instant at) {
        String accountId = key.accountId();
        String keyId = key.id();
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                TransactWriteItem.builder().delete(d -> {
                    d.tableName(table).key(keyOf(accountPk(accountId), KEY_PREFIX + keyId)).conditionExpression(condition);
                    if (!conditionValues.isEmpty()) {
                        d.expressionAttributeValues(conditionValues);
                    }
                }).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(table)
                        .key(keyOf(clientPk(key.clientId()), CLIENT_SK))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table)
                        .key(keyOf(accountPk(accountId), META))
                        .updateExpression("ADD keyCount :minusOne")
                        .expressionAttributeValues(Map.of(":minusOne", n(-1)))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(note)).build()));
        hashes.forEach(hash -> writes.add(hashItem(table, hash, accountId, keyId, key.clientId(), at)));
        return writes;
    }

    /**
     * Every secret hash the key's client accepts, to retire with the key. A secret that a rotation
     * racing the delete adds after this read keeps a lookup without expiry: harmless, as a report
     * of it finds no client and so nothing to act on.
     */
    private Set<String> acceptedHashes(ApiKey key) {
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
        return hashes;
    }

    @Override
    public boolean deleteExpired(StoredKey stored, Instant at) {
        ApiKey key = stored.key();
        String accountId = key.accountId();
        String keyId = key.id();
        if (key.expiresAt() == null) {
            return false;
        }
        Set<String> hashes = acceptedHashes(key);
        // only while its expiry is still the one that qualified it: an admin may have extended it
        List<TransactWriteItem> writes = removal(key, "attribute_exists(pk) AND keyExpiresAt = :expiresAt",
                Map.of(":expiresAt", n(key.expiresAt().getEpochSecond())), noteItem(accountId, keyId, at), hashes, at);
        return transact(writes, "delete-expired " + accountId + " " + keyId + " " + at.toEpochMilli()) == null;
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
    public List<ExpiredKey> expiredKeys(Instant expiredBefore) {
        List<ExpiredKey> expired = new ArrayList<>();
        call(() -> {
            dynamoDb.queryPaginator(q -> q.tableName(table).indexName(KeysTable.EXPIRING_INDEX)
                            .keyConditionExpression("#expiring = :key AND keyExpiresAt < :before")
                            .expressionAttributeNames(Map.of("#expiring", EXPIRING))
                            .expressionAttributeValues(Map.of(":key", s(EXPIRING_KEY), ":before", n(expiredBefore.getEpochSecond()))))
                    .items()
                    .forEach(item -> expired.add(new ExpiredKey(
                            item.get(KeysTable.PK).s().substring("ACCOUNT#".length()),
                            item.get(KeysTable.SK).s().substring(KEY_PREFIX.length()),
                            epochSeconds(item.get(KEY_EXPIRES_AT)))));
            return expired;
        });
        return expired;
    }

    @Override
    public AccountSettings settings(String accountId) {
        Map<String, AttributeValue> item = call(() -> dynamoDb.getItem(g -> g.tableName(table)
                .key(keyOf(accountPk(accountId), SETTINGS)).consistentRead(true)).item());
        AttributeValue days = item == null ? null : item.get(RETENTION_DAYS);
        return new AccountSettings(days == null || days.n() == null ? null : Integer.valueOf(days.n()));
    }

    @Override
    public void saveExpiredKeyRetention(String accountId, Integer days) {
        call(() -> dynamoDb.updateItem(u -> {
            u.tableName(table).key(keyOf(accountPk(accountId), SETTINGS))
                    .expressionAttributeNames(Map.of("#days", RETENTION_DAYS));
            if (days == null) {
                u.updateExpression("REMOVE #days");
            } else {
                u.updateExpression("SET #days = :days").expressionAttributeValues(Map.of(":days", n(days)));
            }
        }));
    }

    @Override
    public void noteSecret(String accountId, String keyId, Instant at) {
        try {
            AwsErrors.retryingConflicts(() -> dynamoDb.putItem(p -> p.tableName(table).item(noteItem(accountId, keyId, at))
                    .conditionExpression("attribute_not_exists(sweepUntil) OR sweepUntil <= :at")
                    .expressionAttributeValues(Map.of(":at", n(at.toEpochMilli())))));
        } catch (ConditionalCheckFailedException swept) {
            // the sweep is destroying this key's secret; once it has, a retry notes anew
            throw new dev.keyward.core.DependencyUnavailableException(DEPENDENCY, swept);
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    @Override
    public boolean claimNote(SecretNote note, Instant now, Instant until) {
        try {
            AwsErrors.retryingConflicts(() -> dynamoDb.updateItem(u -> u.tableName(table).key(noteKey(note.accountId(), note.keyId()))
                    .updateExpression("SET sweepUntil = :until")
                    .conditionExpression("notedAt = :notedAt AND (attribute_not_exists(sweepUntil) OR sweepUntil <= :now)")
                    .expressionAttributeValues(Map.of(":until", n(until.toEpochMilli()),
                            ":notedAt", n(note.at().toEpochMilli()), ":now", n(now.toEpochMilli())))));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
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
                epochSeconds(item.get(KEY_EXPIRES_AT)),
                scopes(item.get(SCOPES)),
                Optional.ofNullable(optional(item, "leakedAt"))
                        .map(at -> new ApiKey.Leak(Instant.parse(at), optional(item, "leakedUrl"))).orElse(null));
    }

    static Instant epochSeconds(AttributeValue value) {
        return value == null || value.n() == null ? null : Instant.ofEpochSecond(Long.parseLong(value.n()));
    }

    static SortedSet<String> scopes(AttributeValue value) {
        return value == null || !value.hasSs() ? null : new TreeSet<>(value.ss());
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
