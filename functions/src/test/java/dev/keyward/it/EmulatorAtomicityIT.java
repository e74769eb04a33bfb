package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyward.it.AwsEnvironment.Aws;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The emulator itself, with no Keyward code involved: concurrent conditional writes and
 * transactions on one item, through the SDK, let exactly one writer through, as DynamoDB does.
 * moto served unlocked ({@code KEYWARD_MOTO_MODE=threaded}) lets several through.
 */
@ExtendWith(AwsEnvironment.class)
class EmulatorAtomicityIT {
    static final int ROUNDS = 20;
    static final int WRITERS = 12;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(WRITERS);

    @AfterAll
    static void stopThreads() {
        POOL.shutdownNow();
    }

    @Test
    void conditionalUpdates_onOneItem_shouldLetExactlyOneWriterThrough(Aws aws) throws Exception {
        DynamoDbClient dynamoDb = aws.clients().dynamoDb();
        String table = aws.settings().tableName();
        List<Integer> winners = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, AttributeValue> item = key("UPDATE#" + round);
            dynamoDb.putItem(p -> p.tableName(table).item(with(item, "version", "0")));

            winners.add(race(writer -> {
                try {
                    dynamoDb.updateItem(u -> u.tableName(table).key(item)
                            .updateExpression("SET version = :next, writer = :writer")
                            .conditionExpression("version = :seen")
                            .expressionAttributeValues(Map.of(":seen", n("0"), ":next", n("1"), ":writer", n(writer))));
                    return true;
                } catch (ConditionalCheckFailedException lost) {
                    return false;
                }
            }));
        }
        assertEquals(List.of(), winners.stream().filter(w -> w != 1).toList(),
                "writers let through, in the rounds where that was not exactly one");
    }

    @Test
    void transactions_onOneItem_shouldLetExactlyOneThrough_andApplyAllOfIt(Aws aws) throws Exception {
        DynamoDbClient dynamoDb = aws.clients().dynamoDb();
        String table = aws.settings().tableName();
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String prefix = "TRANSACT#" + round;
            Map<String, AttributeValue> counter = key(prefix + "#COUNT");

            // each transaction claims the counter's one free place and writes its own item
            int committed = race(writer -> {
                try {
                    dynamoDb.transactWriteItems(t -> t.transactItems(
                            TransactWriteItem.builder().update(u -> u.tableName(table).key(counter)
                                    .updateExpression("SET taken = if_not_exists(taken, :zero) + :one")
                                    .conditionExpression("attribute_not_exists(taken) OR taken < :one")
                                    .expressionAttributeValues(Map.of(":zero", n("0"), ":one", n("1")))).build(),
                            TransactWriteItem.builder().put(p -> p.tableName(table)
                                    .item(with(key(prefix + "#WRITER#" + writer), "writer", Integer.toString(writer)))
                                    .conditionExpression("attribute_not_exists(pk)")).build()));
                    return true;
                } catch (TransactionCanceledException cancelled) {
                    return false;
                }
            });

            int written = 0;
            for (int writer = 0; writer < WRITERS; writer++) {
                Map<String, AttributeValue> mine = key(prefix + "#WRITER#" + writer);
                if (dynamoDb.getItem(g -> g.tableName(table).key(mine).consistentRead(true)).hasItem()) {
                    written++;
                }
            }
            long taken = Long.parseLong(dynamoDb.getItem(g -> g.tableName(table).key(counter).consistentRead(true))
                    .item().get("taken").n());
            if (committed != 1 || written != 1 || taken != 1) {
                failures.add("round " + round + ": " + committed + " committed, " + written + " items written, taken "
                        + taken);
            }
        }
        assertEquals(List.of(), failures);
    }

    /** Runs {@link #WRITERS} writers released at once; how many answered true. */
    private static int race(Writer writer) throws Exception {
        CyclicBarrier start = new CyclicBarrier(WRITERS);
        List<Future<Boolean>> answers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            int id = i;
            answers.add(POOL.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return writer.write(id);
            }));
        }
        int yes = 0;
        for (Future<Boolean> answer : answers) {
            yes += answer.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        return yes;
    }

    private interface Writer {
        boolean write(int id);
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("ITEM"));
    }

    private static Map<String, AttributeValue> with(Map<String, AttributeValue> key, String name, String number) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(key);
        item.put(name, n(number));
        return item;
    }

    private static AttributeValue n(Object number) {
        return AttributeValue.fromN(number.toString());
    }
}
