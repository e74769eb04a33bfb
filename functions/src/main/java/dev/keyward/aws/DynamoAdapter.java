package dev.keyward.aws;

import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What every adapter over the keys table shares: the client and table, and the three ways it
 * calls DynamoDB, each with transaction conflicts retried ({@link AwsErrors#retryingConflicts})
 * and failures translated into the service's terms ({@link AwsErrors#translate}).
 */
abstract class DynamoAdapter {
    static final String DEPENDENCY = "DynamoDB";
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";

    final DynamoDbClient dynamoDb;
    final String table;

    DynamoAdapter(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** One DynamoDB call. */
    static <T> T call(Supplier<T> request) {
        try {
            return AwsErrors.retryingConflicts(request);
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    /** One conditional write: false when its condition refused it. */
    static boolean conditional(Runnable write) {
        try {
            AwsErrors.retryingConflicts(() -> {
                write.run();
                return null;
            });
            return true;
        } catch (ConditionalCheckFailedException refused) {
            return false;
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    /**
     * Runs the transaction with a request token derived from {@code operation}, so that the
     * SDK's retry of a transaction that was applied but whose answer was lost succeeds instead
     * of failing its own conditions (DynamoDB honours the token for ten minutes).
     *
     * @return null when it was applied, or the cancellation when a condition refused it
     */
    TransactionCanceledException transact(List<TransactWriteItem> writes, String operation) {
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

    /** Whether the write at {@code index} of a cancelled transaction failed its condition. */
    static boolean conditionFailed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && CONDITION_FAILED.equals(reasons.get(index).code());
    }
}
