package dev.keyward.telemetry;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.time.Duration;
import java.util.UUID;

/**
 * The Lambda context of one invocation of version 7 of keyward-prod-GetKeyFunction, which started
 * when this was made: its remaining time counts down from the function's timeout, as Lambda's does.
 */
public final class TestContext implements Context {
    /** The functions' timeout in the template. */
    private static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(20);

    private final String awsRequestId;
    private final long deadlineNanos;

    /** An invocation that started now, with the functions' timeout. */
    public TestContext(String awsRequestId) {
        this(awsRequestId, FUNCTION_TIMEOUT);
    }

    private TestContext(String awsRequestId, Duration timeout) {
        this.awsRequestId = awsRequestId;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    /** An invocation that started now, of a function whose timeout is {@code timeout}. */
    public static TestContext startingNow(Duration timeout) {
        return new TestContext(UUID.randomUUID().toString(), timeout);
    }

    @Override
    public String getAwsRequestId() {
        return awsRequestId;
    }

    @Override
    public String getLogGroupName() {
        return "/keyward/keyward/get-key";
    }

    @Override
    public String getLogStreamName() {
        return "2026/11/28/[7]0123456789abcdef";
    }

    @Override
    public String getFunctionName() {
        return "keyward-prod-GetKeyFunction";
    }

    @Override
    public String getFunctionVersion() {
        return "7";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:123456789012:function:keyward-prod-GetKeyFunction:live";
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return null;
    }

    @Override
    public String toString() {
        return "Invocation " + awsRequestId;
    }
}
