package dev.keyward.telemetry;

import dev.keyward.invoke.InvocationContext;
import java.time.Duration;
import java.util.UUID;

/**
 * The Lambda context of one invocation of version 7 of keyward-prod-GetKeyFunction, which started
 * when this was made: its remaining time counts down from the function's timeout, as Lambda's does.
 */
public final class TestContext extends InvocationContext {
    /** The functions' timeout in the template. */
    private static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(20);

    /** An invocation that started now, with the functions' timeout. */
    public TestContext(String awsRequestId) {
        this(awsRequestId, FUNCTION_TIMEOUT);
    }

    private TestContext(String awsRequestId, Duration timeout) {
        super(awsRequestId, "keyward-prod-GetKeyFunction", "7",
                "arn:aws:lambda:us-east-1:123456789012:function:keyward-prod-GetKeyFunction:live",
                "/keyward/keyward/get-key", "2026/11/28/[7]0123456789abcdef", timeout);
    }

    /** An invocation that started now, of a function whose timeout is {@code timeout}. */
    public static TestContext startingNow(Duration timeout) {
        return new TestContext(UUID.randomUUID().toString(), timeout);
    }
}
