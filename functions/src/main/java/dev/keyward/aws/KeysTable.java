package dev.keyward.aws;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The keys table's shape: partition key {@code pk}, sort key {@code sk}, both strings, on demand,
 * the sparse index of expiring keys, and a stream of new images, from which the events written with
 * each change are published ({@link EventItems}).
 * It must match {@code KeysTable} in infra/template.yaml; emulators get it from here.
 */
public final class KeysTable {
    public static final String PK = Items.PK;
    public static final String SK = Items.SK;
    /** The sparse index of the key items that expire: partition {@value #EXPIRING}, sort keyExpiresAt. */
    public static final String EXPIRING_INDEX = "ExpiringKeys";
    public static final String EXPIRING = "expiring";
    public static final String KEY_EXPIRES_AT = "keyExpiresAt";

    private KeysTable() {
    }

    /** Creates the table if it does not exist yet and waits until it is usable. */
    public static void createIfMissing(DynamoDbClient dynamoDb, String tableName) {
        try {
            dynamoDb.createTable(t -> t.tableName(tableName)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                            .streamViewType(StreamViewType.NEW_IMAGE).build())
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(EXPIRING).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(KEY_EXPIRES_AT).attributeType(ScalarAttributeType.N).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(EXPIRING_INDEX)
                            .keySchema(
                                    KeySchemaElement.builder().attributeName(EXPIRING).keyType(KeyType.HASH).build(),
                                    KeySchemaElement.builder().attributeName(KEY_EXPIRES_AT).keyType(KeyType.RANGE).build())
                            .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                            .build()));
        } catch (ResourceInUseException alreadyThere) {
            // created earlier: nothing to do
        }
        dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(tableName));
    }

    /** The table's stream, or null when it has none (a table made before the stream was). */
    public static String streamArn(DynamoDbClient dynamoDb, String tableName) {
        return dynamoDb.describeTable(d -> d.tableName(tableName)).table().latestStreamArn();
    }
}
