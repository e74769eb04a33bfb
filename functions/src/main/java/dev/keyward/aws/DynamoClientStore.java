package dev.keyward.aws;

import static dev.keyward.aws.Items.CLIENT_SK;
import static dev.keyward.aws.Items.clientPk;
import static dev.keyward.aws.Items.hashItem;
import static dev.keyward.aws.Items.keyOf;
import static dev.keyward.aws.Items.n;
import static dev.keyward.aws.Items.s;

import dev.keyward.core.ChangeEvent;
import dev.keyward.core.ClientRecord;
import dev.keyward.core.ClientRecord.OtherSecret;
import dev.keyward.core.ClientStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The client items of the keys table ({@code pk=CLIENT#{clientId}, sk=CLIENT}), read by the
 * authorizer and changed by rotation.
 *
 * <pre>
 * secretHash          S  SHA-256 (hex) of the current secret
 * otherHashes         M  {hash: N} secrets accepted besides it: N = epoch millis the grace ends, 0 = no end yet
 * revision            N  grows with every rotation step; absent = 0 (as create writes it)
 * rotationLeaseUntil  N  epoch millis; present while a rotation is in flight
 * keyExpiresAt        N  epoch seconds the key expires at; absent = never (written with the key item)
 * scopes              SS the key's scopes; absent = none (written with the key item)
 * disabled            BOOL true while the key is suspended; absent = it works (written with the key item)
 * allowedCidrs        L  the ranges the key may be used from; absent = any address (written with the key item)
 * </pre>
 *
 * Every change to the accepted secrets writes their {@code SECRET_HASH#} lookups in the same
 * transaction (see {@link DynamoKeyStore}).
 */
public final class DynamoClientStore extends DynamoAdapter implements ClientStore {


    public DynamoClientStore(DynamoDbClient dynamoDb, String table) {
        super(dynamoDb, table);
    }

    @Override
    public Optional<ClientRecord> find(String clientId) {
        Map<String, AttributeValue> item = call(() -> dynamoDb.getItem(g -> g.tableName(table)
                .key(keyOf(clientPk(clientId), CLIENT_SK)).consistentRead(true)).item());
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        List<OtherSecret> others = new ArrayList<>();
        AttributeValue otherHashes = item.get("otherHashes");
        if (otherHashes != null && otherHashes.hasM()) {
            otherHashes.m().forEach((hash, until) -> others.add(new OtherSecret(hash, epochMillis(until))));
        }
        return Optional.of(new ClientRecord(clientId, item.get("accountId").s(), item.get("keyId").s(),
                item.get("secretHash").s(), others, item.containsKey("revision") ? Long.parseLong(item.get("revision").n()) : 0,
                epochMillis(item.get("rotationLeaseUntil")),
                Items.epochSeconds(item.get(Items.KEY_EXPIRES_AT)),
                Items.scopes(item.get(Items.SCOPES)), Items.enabled(item), Items.networks(item)));
    }

    @Override
    public boolean replace(ClientRecord current, ClientRecord next, ChangeEvent event) {
        long expectedRevision = current.revision();
        Map<String, AttributeValue> otherHashes = new HashMap<>();
        for (OtherSecret other : next.others()) {
            otherHashes.put(other.hash(), n(other.validUntil() == null ? 0 : other.validUntil().toEpochMilli()));
        }
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":hash", s(next.secretHash()),
                ":others", AttributeValue.fromM(otherHashes),
                ":revision", n(next.revision()),
                ":expected", n(expectedRevision)));
        String update = "SET secretHash = :hash, otherHashes = :others, revision = :revision";
        if (next.rotationLeaseUntil() != null) {
            update += ", rotationLeaseUntil = :lease";
            values.put(":lease", n(next.rotationLeaseUntil().toEpochMilli()));
        } else {
            update += " REMOVE rotationLeaseUntil";
        }
        // attribute_exists(pk): an update must never bring back the client of a deleted key
        String condition = expectedRevision == 0
                ? "attribute_exists(pk) AND (attribute_not_exists(revision) OR revision = :expected)"
                : "attribute_exists(pk) AND revision = :expected";
        String expression = update;
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(keyOf(clientPk(next.clientId()), CLIENT_SK))
                .updateExpression(expression).conditionExpression(condition).expressionAttributeValues(values)).build());
        // the secret-hash lookup follows the client item in the same step: what it accepts can be found
        Set<String> accepted = hashes(next);
        Set<String> retired = hashes(current);
        retired.removeAll(accepted);
        Instant now = Instant.now();
        accepted.forEach(hash -> writes.add(hashItem(table, hash, next.accountId(), next.keyId(), next.clientId(), null)));
        retired.forEach(hash -> writes.add(hashItem(table, hash, next.accountId(), next.keyId(), next.clientId(), now)));
        if (event != null) {
            writes.add(EventItems.put(table, event));
        }
        try {
            AwsErrors.retryingConflicts(() -> dynamoDb.transactWriteItems(t -> t.transactItems(writes)));
            return true;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                return false;
            }
            throw AwsErrors.translate(DEPENDENCY, e);
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    private static Set<String> hashes(ClientRecord client) {
        Set<String> hashes = new LinkedHashSet<>();
        hashes.add(client.secretHash());
        client.others().forEach(other -> hashes.add(other.hash()));
        return hashes;
    }

    private static Instant epochMillis(AttributeValue value) {
        if (value == null || value.n() == null) {
            return null;
        }
        long millis = Long.parseLong(value.n());
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }
}
