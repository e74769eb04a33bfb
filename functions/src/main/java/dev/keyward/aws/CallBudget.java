package dev.keyward.aws;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Fits each AWS call into what is left of the request's budget (for the functions,
 * {@code Invocation.budgetLeft}, which {@code Api.serve} sets for each request): the call (retries
 * included) and each attempt get at most the time left, and a call that would start with less
 * than {@link #LEAST} left is not sent. The refusal is an {@link SdkClientException}, which the
 * adapters already treat as "no answer" and the service resolves or answers 503; a call that was
 * never sent cannot have changed anything, so whatever reads state afterwards sees the truth.
 */
final class CallBudget implements ExecutionInterceptor {
    /** Less than this left: a call could not complete, so it is not started. */
    static final Duration LEAST = Duration.ofMillis(100);

    private final AwsClients.Timeouts timeouts;
    private final Supplier<Optional<Duration>> budgetLeft;

    /** @param budgetLeft what is left of the budget of the request being served on this thread, if it has one */
    CallBudget(AwsClients.Timeouts timeouts, Supplier<Optional<Duration>> budgetLeft) {
        this.timeouts = timeouts;
        this.budgetLeft = budgetLeft;
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        Optional<Duration> left = budgetLeft.get();
        if (left.isEmpty() || !(context.request() instanceof AwsRequest request)) {
            return context.request();
        }
        Duration remaining = left.get();
        if (remaining.compareTo(LEAST) < 0) {
            throw SdkClientException.create("The request's time budget is spent; the call was not sent.");
        }
        Duration call = min(remaining, timeouts.call());
        Duration attempt = min(remaining, timeouts.attempt());
        AwsRequestOverrideConfiguration.Builder override = request.overrideConfiguration()
                .map(AwsRequestOverrideConfiguration::toBuilder)
                .orElseGet(AwsRequestOverrideConfiguration::builder);
        return request.toBuilder()
                .overrideConfiguration(override.apiCallTimeout(call).apiCallAttemptTimeout(attempt).build())
                .build();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
