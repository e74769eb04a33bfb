package dev.keyward.aws;

import static dev.keyward.aws.Items.CLIENT_SK;
import static dev.keyward.aws.Items.KEY_PREFIX;
import static dev.keyward.aws.Items.META;
import static dev.keyward.aws.Items.accountPk;
import static dev.keyward.aws.Items.clientPk;
import static dev.keyward.aws.Items.hashItem;
import static dev.keyward.aws.Items.keyOf;
import static dev.keyward.aws.Items.n;
import static dev.keyward.aws.Items.noteItem;
import static dev.keyward.aws.Items.noteKey;
import static dev.keyward.aws.Items.s;

import dev.keyward.core.ApiKey;
import dev.keyward.core.ChangeEvent;
import dev.keyward.core.StoredKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** How a key leaves the table, deleted by an admin or for having expired: one transaction for both. */
final class KeyRemovals extends DynamoAdapter {

    KeyRemovals(DynamoDbClient dynamoDb, String table) {
        super(dynamoDb, table);
    }

    boolean delete(StoredKey stored, Instant at, List<ChangeEvent> events) {
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
        events.forEach(event -> writes.add(EventItems.put(table, event)));
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
     * the retirement of every secret hash its client accepted. The caller adds the events.
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

    boolean deleteExpired(StoredKey stored, Instant at, ChangeEvent event) {
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
        writes.add(EventItems.put(table, event));
        return transact(writes, "delete-expired " + accountId + " " + keyId + " " + at.toEpochMilli()) == null;
    }
}
