package dev.keyward.it;

import com.amazonaws.services.lambda.runtime.Context;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.UUID;

/** Lambda contexts for tests: an invocation with a request id and a deadline, as Lambda hands one to a handler. */
final class Invocations {
    private Invocations() {
    }

    /** An invocation that started now, of a function whose timeout is {@code timeout}. */
    static Context startingNow(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String requestId = UUID.randomUUID().toString();
        return (Context) Proxy.newProxyInstance(Invocations.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemainingTimeInMillis" -> (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
                    case "getAwsRequestId" -> requestId;
                    case "getFunctionName" -> "test-function";
                    case "getFunctionVersion" -> "$LATEST";
                    case "getMemoryLimitInMB" -> 1024;
                    case "toString" -> "Invocation " + requestId;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }
}
