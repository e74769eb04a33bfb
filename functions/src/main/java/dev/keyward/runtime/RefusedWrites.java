package dev.keyward.runtime;

import dev.keyward.aws.Items;
import dev.keyward.core.DependencyUnavailableException;
import dev.keyward.core.KeyPriming;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * For priming: each kind of DynamoDB write Keyward makes (PutItem, UpdateItem, DeleteItem,
 * TransactWriteItems), sent with a condition on an item that never exists, so DynamoDB refuses
 * every one and nothing is written, while the SDK marshals, signs, sends and reads an answer
 * exactly as for a real write.
 */
final class RefusedWrites implements Runnable {
    private static final String EXISTS = "attribute_exists(" + Items.PK + ")";

    private final DynamoDbClient dynamoDb;
    private final String table;

    RefusedWrites(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void run() {
        Map<String, AttributeValue> item = Map.of(
                Items.PK, AttributeValue.fromS(Items.accountPk(KeyPriming.PRIMING_ACCOUNT)),
                Items.SK, AttributeValue.fromS(Items.KEY_PREFIX + KeyPriming.PRIMING_KEY));
        refused(() -> dynamoDb.putItem(p -> p.tableName(table).item(item).conditionExpression(EXISTS)));
        refused(() -> dynamoDb.updateItem(u -> u.tableName(table).key(item).conditionExpression(EXISTS)
                .updateExpression("SET primed = :t").expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true)))));
        refused(() -> dynamoDb.deleteItem(d -> d.tableName(table).key(item).conditionExpression(EXISTS)));
        refused(() -> dynamoDb.transactWriteItems(t -> t.transactItems(
                TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                        .key(item).conditionExpression(EXISTS).build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(Map.of(
                        Items.PK, AttributeValue.fromS(Items.accountPk(KeyPriming.PRIMING_ACCOUNT)),
                        Items.SK, AttributeValue.fromS("PRIMING"))).build()).build())));
    }

    /** Only no answer at all fails priming: a refusal, conditional or IAM's, is the expected answer. */
    private static void refused(Runnable write) {
        try {
            write.run();
        } catch (SdkClientException noAnswer) {
            throw new DependencyUnavailableException("DynamoDB", noAnswer);
        } catch (SdkException refused) {
            // ConditionalCheckFailed, TransactionCanceled or AccessDenied: AWS answered
        }
    }
}
