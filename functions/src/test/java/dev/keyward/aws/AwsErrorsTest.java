package dev.keyward.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyward.core.DependencyUnavailableException;
import dev.keyward.core.OutcomeUnknownException;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

class AwsErrorsTest {

    private static DynamoDbException error(String code, int status) {
        return (DynamoDbException) DynamoDbException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }

    private static TransactionCanceledException cancelled(String... reasons) {
        return TransactionCanceledException.builder().statusCode(400)
                .cancellationReasons(java.util.Arrays.stream(reasons).map(r -> CancellationReason.builder().code(r).build()).toList())
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").build()).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded"})
    void throttling_isUnavailable_notUnknown(String code) {
        RuntimeException translated = AwsErrors.translate("DynamoDB", error(code, 400));
        assertEquals(DependencyUnavailableException.class, translated.getClass());
    }

    @Test
    void noAnswerOr5xx_isAnUnknownOutcome() {
        assertInstanceOf(OutcomeUnknownException.class, AwsErrors.translate("DynamoDB",
                SdkClientException.create("Read timed out", new SocketTimeoutException())));
        assertInstanceOf(OutcomeUnknownException.class, AwsErrors.translate("DynamoDB", error("InternalServerError", 500)));
    }

    @Test
    void conflicts_areUnavailable_butAFailedConditionIsNot() {
        assertEquals(DependencyUnavailableException.class,
                AwsErrors.translate("DynamoDB", cancelled("None", "TransactionConflict", "None")).getClass());
        assertEquals(DependencyUnavailableException.class, AwsErrors.translate("DynamoDB",
                TransactionConflictException.builder().statusCode(400).build()).getClass());
        TransactionCanceledException condition = cancelled("ConditionalCheckFailed", "TransactionConflict");
        assertSame(condition, AwsErrors.translate("DynamoDB", condition));
    }

    @Test
    void retryingConflicts_retriesAConflictABoundedNumberOfTimes() {
        AtomicInteger calls = new AtomicInteger();
        TransactionCanceledException conflict = cancelled("TransactionConflict");

        assertSame(conflict, assertThrows(TransactionCanceledException.class, () -> AwsErrors.retryingConflicts(() -> {
            calls.incrementAndGet();
            throw conflict;
        })));
        assertEquals(AwsErrors.CONFLICT_ATTEMPTS, calls.get());
    }

    @Test
    void retryingConflicts_succeedsWhenTheConflictClears_andNeverRetriesAnythingElse() {
        AtomicInteger calls = new AtomicInteger();
        assertEquals("ok", AwsErrors.retryingConflicts(() -> {
            if (calls.incrementAndGet() == 1) {
                throw cancelled("TransactionConflict");
            }
            return "ok";
        }));
        assertEquals(2, calls.get());

        AtomicInteger throttled = new AtomicInteger();
        assertThrows(DynamoDbException.class, () -> AwsErrors.retryingConflicts(() -> {
            throttled.incrementAndGet();
            throw error("ThrottlingException", 400); // the SDK retried this already
        }));
        assertEquals(1, throttled.get());
    }

    @Test
    void requestToken_isStablePerOperation_andFitsDynamoDbs36Characters() {
        assertEquals(AwsErrors.requestToken("create acme key_1"), AwsErrors.requestToken("create acme key_1"));
        assertEquals(36, AwsErrors.requestToken("create acme key_1").length());
    }
}
