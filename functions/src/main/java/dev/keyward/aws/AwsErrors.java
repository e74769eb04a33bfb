package dev.keyward.aws;

import dev.keyward.core.DependencyUnavailableException;
import dev.keyward.core.OutcomeUnknownException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * Turns AWS failures into the service's terms: {@link OutcomeUnknownException} when a write may
 * or may not have been applied (no answer, a 5xx), {@link DependencyUnavailableException} when
 * it was refused for a reason that passes (throttling, a transaction conflict). Anything else
 * passes through, a bug to be answered 500.
 *
 * <p>Retries. The SDK already retries throttling, 5xx and I/O errors, with jittered backoff and
 * a bounded number of attempts ({@link AwsClients}). It does not retry transaction conflicts
 * ({@code TransactionCanceledException} with reason {@code TransactionConflict}, and
 * {@code TransactionConflictException}): two requests touching the same item at once, which
 * usually clears within milliseconds. {@link #retryingConflicts} adds that one layer, a few
 * attempts with jitter well inside the call's time budget, and nothing else, so no failure is
 * retried twice over.
 */
final class AwsErrors {
    /** Attempts for a transaction conflict, and the jittered pause before each retry. */
    static final int CONFLICT_ATTEMPTS = 3;
    private static final long CONFLICT_PAUSE_MILLIS = 25;
    /** Cancellation reasons that mean "nothing was written, try again", not "a condition failed". */
    private static final Set<String> PASSING_REASONS = Set.of("None", "TransactionConflict", "ThrottlingError",
            "ProvisionedThroughputExceeded", "RequestLimitExceeded");

    private AwsErrors() {
    }

    static RuntimeException translate(String dependency, SdkException e) {
        if (e instanceof SdkClientException) {
            // no answer: the request may have been applied before the connection failed
            return new OutcomeUnknownException(dependency, e);
        }
        if (e instanceof IdempotentParameterMismatchException) {
            return new OutcomeUnknownException(dependency, e);
        }
        if (e instanceof AwsServiceException service) {
            if (service.statusCode() >= 500) {
                return new OutcomeUnknownException(dependency, e);
            }
            if (service.isThrottlingException() || isConflict(service)) {
                return new DependencyUnavailableException(dependency, e);
            }
        }
        return e;
    }

    /** Whether the request was refused only because others touched the same items at that moment, or throttled. */
    static boolean isConflict(SdkException e) {
        if (e instanceof TransactionConflictException) {
            return true;
        }
        if (e instanceof TransactionCanceledException cancelled && cancelled.hasCancellationReasons()) {
            List<CancellationReason> reasons = cancelled.cancellationReasons();
            return reasons.stream().allMatch(r -> r.code() == null || PASSING_REASONS.contains(r.code()))
                    && reasons.stream().anyMatch(r -> r.code() != null && !"None".equals(r.code()));
        }
        return false;
    }

    /**
     * Runs {@code call}, again up to {@value #CONFLICT_ATTEMPTS} times in all while it fails with a
     * transaction conflict; any other failure, or the last conflict, is thrown as it came.
     */
    static <T> T retryingConflicts(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (SdkException e) {
                if (attempt >= CONFLICT_ATTEMPTS || !isConflict(e)) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    /** Full jitter over a doubling window: at most 25 ms, then 50 ms. */
    private static void pause(int attempt) {
        long window = CONFLICT_PAUSE_MILLIS << (attempt - 1);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(window + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A request token for an AWS write (DynamoDB's and Secrets Manager's ClientRequestToken),
     * derived from the operation, so every attempt of one operation carries the same one.
     */
    static String requestToken(String operation) {
        return UUID.nameUUIDFromBytes(operation.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
