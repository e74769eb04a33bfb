package dev.keyward.aws;

import static dev.keyward.aws.Items.keyOf;
import static dev.keyward.aws.Items.s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * One page of the items in a partition whose sort keys start with a prefix followed by a
 * time-ordered id (keys, audit events), newest first, read strongly consistent.
 */
final class NewestFirst {
    private NewestFirst() {
    }

    /** @param lastId the id to continue after, or null when nothing follows */
    record Slice<T>(List<T> items, String lastId) {
    }

    static <T> Slice<T> page(DynamoDbClient dynamoDb, String table, String pk, String prefix, int limit,
                             String afterId, Function<Map<String, AttributeValue>, T> read, Function<T, String> idOf) {
        Map<String, AttributeValue> values = Map.of(":pk", s(pk), ":prefix", s(prefix));
        QueryResponse response = DynamoAdapter.call(() -> dynamoDb.query(q -> {
            q.tableName(table)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    .consistentRead(true)
                    // one more than asked, to know whether a next page exists without an empty last page
                    .limit(limit + 1);
            if (afterId != null) {
                q.exclusiveStartKey(keyOf(pk, prefix + afterId));
            }
        }));
        List<T> items = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            if (items.size() == limit) {
                return new Slice<>(items, idOf.apply(items.get(limit - 1)));
            }
            items.add(read.apply(item));
        }
        return new Slice<>(items, null);
    }
}
