package dev.keyward.aws;

import static dev.keyward.aws.Items.CLIENT_SK;
import static dev.keyward.aws.Items.EXPIRING;
import static dev.keyward.aws.Items.EXPIRING_KEY;
import static dev.keyward.aws.Items.KEY_EXPIRES_AT;
import static dev.keyward.aws.Items.KEY_PREFIX;
import static dev.keyward.aws.Items.MAX_KEY_LIFETIME_DAYS;
import static dev.keyward.aws.Items.META;
import static dev.keyward.aws.Items.REQUIRE_SCOPES;
import static dev.keyward.aws.Items.RETENTION_DAYS;
import static dev.keyward.aws.Items.SCOPES;
import static dev.keyward.aws.Items.SETTINGS;
import static dev.keyward.aws.Items.accountPk;
import static dev.keyward.aws.Items.clientPk;
import static dev.keyward.aws.Items.epochSeconds;
import static dev.keyward.aws.Items.hashItem;
import static dev.keyward.aws.Items.keyOf;
import static dev.keyward.aws.Items.n;
import static dev.keyward.aws.Items.noteKey;
import static dev.keyward.aws.Items.s;
import static dev.keyward.aws.Items.toKey;

import dev.keyward.core.AccountSettings;
import dev.keyward.core.ChangeEvent;
import dev.keyward.core.ApiKey;
import dev.keyward.core.ExpiredKey;
import dev.keyward.core.KeyStore;
import dev.keyward.core.KeyUpdate;
import dev.keyward.core.SettingsChange;
import dev.keyward.core.StoredKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Keys in the keys table ({@link Items} has the layout). The key and client items are written and
 * removed in one transaction together with the count, so a Client ID is verifiable exactly as
 * long as its key exists, with one consistent GetItem. The client item's secret fields are
 * {@link DynamoClientStore}'s; removals are {@link KeyRemovals}'; secret notes {@link SecretNotes}'.
 */
public final class DynamoKeyStore extends DynamoAdapter implements KeyStore {
    private final KeyRemovals removals;
    private final SecretNotes notes;

    public DynamoKeyStore(DynamoDbClient dynamoDb, String table) {
        super(dynamoDb, table);
        this.removals = new KeyRemovals(dynamoDb, table);
        this.notes = new SecretNotes(dynamoDb, table);
    }

    @Override
    public Insert insert(ApiKey key, String secretHash, String secretRef, int limit, ChangeEvent created) {
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
        if (!key.networks().isAny()) {
            keyItem.put(Items.ALLOWED_CIDRS, Items.networks(key.networks()));
            clientItem.put(Items.ALLOWED_CIDRS, Items.networks(key.networks()));
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
                hashItem(table, secretHash, key.accountId(), key.id(), key.clientId(), null),
                // its event: there exactly when the key is
                EventItems.put(table, created));
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
     * Writes the name alone, with its event, then reads the key: the editing function may name only
     * the attributes it changes and never asks for the whole item back (its IAM policy), which keeps
     * the count, the settings and the key's secretArn out of its reach.
     */
    @Override
    public Optional<ApiKey> rename(ApiKey key, String name, ChangeEvent event) {
        String accountId = key.accountId();
        String keyId = key.id();
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().update(u -> u.tableName(table)
                        .key(keyOf(accountPk(accountId), KEY_PREFIX + keyId))
                        // "name" is a DynamoDB reserved word
                        .updateExpression("SET #name = :name")
                        .conditionExpression("attribute_exists(pk)")
                        .expressionAttributeNames(Map.of("#name", "name"))
                        .expressionAttributeValues(Map.of(":name", s(name)))).build(),
                EventItems.put(table, event));
        if (transact(writes, "rename " + accountId + " " + keyId + " " + event.id()) != null) {
            return Optional.empty();
        }
        return Optional.of(key.withName(name));
    }

    @Override
    public Optional<ApiKey> update(ApiKey key, KeyUpdate update, ChangeEvent event) {
        if (!update.changesAccess()) {
            return rename(key, update.name(), event);
        }
        String accountId = key.accountId();
        String keyId = key.id();
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
        if (update.enabled() != null) {
            if (update.enabled()) {
                keyChanges.remove("#disabled", Items.DISABLED);
                clientChanges.remove("#disabled", Items.DISABLED);
            } else {
                keyChanges.set("#disabled", Items.DISABLED, AttributeValue.fromBool(true));
                clientChanges.set("#disabled", Items.DISABLED, AttributeValue.fromBool(true));
            }
        }
        if (update.networks() != null) {
            AttributeValue ranges = Items.networks(update.networks());
            if (ranges == null) {
                keyChanges.remove("#allowedCidrs", Items.ALLOWED_CIDRS);
                clientChanges.remove("#allowedCidrs", Items.ALLOWED_CIDRS);
            } else {
                keyChanges.set("#allowedCidrs", Items.ALLOWED_CIDRS, ranges);
                clientChanges.set("#allowedCidrs", Items.ALLOWED_CIDRS, ranges);
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
                        .build(),
                EventItems.put(table, event));
        // a token of its own (the event's id is unique): a later PATCH back to the same values must not
        // count as a replay of this one
        TransactionCanceledException refused = transact(writes, "update " + accountId + " " + keyId + " " + event.id());
        return refused == null ? Optional.of(key.with(update)) : Optional.empty();
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
    public boolean delete(StoredKey stored, Instant at, List<ChangeEvent> events) {
        return removals.delete(stored, at, events);
    }

    @Override
    public boolean deleteExpired(StoredKey stored, Instant at, ChangeEvent event) {
        return removals.deleteExpired(stored, at, event);
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
                            item.get(Items.PK).s().substring(Items.ACCOUNT_PREFIX.length()),
                            item.get(Items.SK).s().substring(KEY_PREFIX.length()),
                            epochSeconds(item.get(KEY_EXPIRES_AT)))));
            return expired;
        });
        return expired;
    }

    @Override
    public AccountSettings settings(String accountId) {
        Map<String, AttributeValue> item = call(() -> dynamoDb.getItem(g -> g.tableName(table)
                .key(keyOf(accountPk(accountId), SETTINGS)).consistentRead(true)).item());
        if (item == null || item.isEmpty()) {
            return AccountSettings.DEFAULTS;
        }
        return new AccountSettings(days(item.get(RETENTION_DAYS)), days(item.get(MAX_KEY_LIFETIME_DAYS)),
                Boolean.TRUE.equals(Optional.ofNullable(item.get(REQUIRE_SCOPES)).map(AttributeValue::bool).orElse(null)));
    }

    private static Integer days(AttributeValue days) {
        return days == null || days.n() == null ? null : Integer.valueOf(days.n());
    }

    @Override
    public void saveSettings(String accountId, SettingsChange change, ChangeEvent event) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        days(change.expiredKeyRetentionDays(), "#days", RETENTION_DAYS, names, values, set, remove);
        days(change.maxKeyLifetimeDays(), "#lifetime", MAX_KEY_LIFETIME_DAYS, names, values, set, remove);
        if (change.requireScopes() != null) {
            names.put("#scopes", REQUIRE_SCOPES);
            if (change.requireScopes()) {
                set.add("#scopes = :scopes");
                values.put(":scopes", AttributeValue.fromBool(true));
            } else {
                remove.add("#scopes"); // absent: false
            }
        }
        String expression = (set.isEmpty() ? "" : "SET " + String.join(", ", set))
                + (set.isEmpty() || remove.isEmpty() ? "" : " ")
                + (remove.isEmpty() ? "" : "REMOVE " + String.join(", ", remove));
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().update(u -> {
                    u.tableName(table).key(keyOf(accountPk(accountId), SETTINGS))
                            .updateExpression(expression).expressionAttributeNames(names);
                    if (!values.isEmpty()) {
                        u.expressionAttributeValues(values);
                    }
                }).build(),
                EventItems.put(table, event));
        TransactionCanceledException refused = transact(writes, "settings " + accountId + " " + event.id());
        if (refused != null) {
            throw AwsErrors.translate(DEPENDENCY, refused); // it has no condition: never expected
        }
    }

    /** A number of days the change names: set, or removed when it sets null. */
    @SuppressWarnings("OptionalUsedAsFieldOrParameterType")
    private static void days(Optional<Long> days, String name, String attribute, Map<String, String> names,
                             Map<String, AttributeValue> values, List<String> set, List<String> remove) {
        if (days == null) {
            return;
        }
        names.put(name, attribute);
        if (days.isPresent()) {
            String value = ":" + name.substring(1);
            set.add(name + " = " + value);
            values.put(value, n(days.get()));
        } else {
            remove.add(name);
        }
    }

    @Override
    public void noteSecret(String accountId, String keyId, Instant at) {
        notes.note(accountId, keyId, at);
    }

    @Override
    public boolean claimNote(SecretNote note, Instant now, Instant until) {
        return notes.claim(note, now, until);
    }

    @Override
    public void forgetSecret(String accountId, String keyId) {
        notes.forget(accountId, keyId);
    }

    @Override
    public List<SecretNote> secretNotes(Instant before) {
        return notes.before(before);
    }
}
