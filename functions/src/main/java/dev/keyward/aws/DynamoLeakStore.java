package dev.keyward.aws;

import static dev.keyward.aws.Items.HASH_PREFIX;
import static dev.keyward.aws.Items.HASH_SK;
import static dev.keyward.aws.Items.KEY_PREFIX;
import static dev.keyward.aws.Items.accountPk;
import static dev.keyward.aws.Items.keyOf;
import static dev.keyward.aws.Items.s;

import dev.keyward.core.ChangeEvent;
import dev.keyward.core.LeakPolicy;
import dev.keyward.core.LeakStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * What a secret-scanning report reads and marks in the keys table:
 * <pre>
 * hash      pk=SECRET_HASH#{sha256} sk=SECRET_HASH  accountId, keyId, clientId   (written with the client, see DynamoKeyStore)
 * settings  pk=ACCOUNT#{accountId}  sk=SETTINGS     leakPolicy: "revoke" (default) | "flag"
 * key       pk=ACCOUNT#{accountId}  sk=KEY#{keyId}  leakedAt, leakedUrl, leakedSecretHash: the flag
 * </pre>
 */
public final class DynamoLeakStore extends DynamoAdapter implements LeakStore {
    static final String SETTINGS = Items.SETTINGS;


    public DynamoLeakStore(DynamoDbClient dynamoDb, String table) {
        super(dynamoDb, table);
    }

    @Override
    public Optional<SecretOwner> ownerOf(String secretHash) {
        Map<String, AttributeValue> item = call(() -> dynamoDb.getItem(g -> g.tableName(table)
                .key(keyOf(HASH_PREFIX + secretHash, HASH_SK)).consistentRead(true)).item());
        if (item == null || !item.containsKey("clientId")) {
            return Optional.empty();
        }
        return Optional.of(new SecretOwner(item.get("accountId").s(), item.get("keyId").s(), item.get("clientId").s()));
    }

    @Override
    public LeakPolicy policy(String accountId) {
        Map<String, AttributeValue> item = call(() -> dynamoDb.getItem(g -> g.tableName(table)
                .key(keyOf(accountPk(accountId), SETTINGS)).consistentRead(true)
                .projectionExpression("leakPolicy")).item());
        AttributeValue policy = item == null ? null : item.get("leakPolicy");
        return LeakPolicy.fromWireName(policy == null ? null : policy.s());
    }

    @Override
    public boolean flag(String accountId, String keyId, String secretHash, String url, Instant at, ChangeEvent event) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":at", s(at.toString()));
        values.put(":hash", s(secretHash));
        String update = "SET leakedAt = :at, leakedSecretHash = :hash";
        if (url != null) {
            update += ", leakedUrl = :url";
            values.put(":url", s(url));
        } else {
            update += " REMOVE leakedUrl";
        }
        String expression = update;
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().update(u -> u.tableName(table).key(keyOf(accountPk(accountId), KEY_PREFIX + keyId))
                        .updateExpression(expression)
                        // once per secret: a replayed report changes nothing; never creates a key
                        .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(leakedSecretHash) OR leakedSecretHash <> :hash)")
                        .expressionAttributeValues(values)).build(),
                // the key.leaked event: written exactly when the mark is
                EventItems.put(table, event));
        return transact(writes, "flag " + accountId + " " + keyId + " " + event.id()) == null;
    }
}
