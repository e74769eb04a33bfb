package dev.keyward.it;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Makes the emulator behave as AWS can: per operation (e.g. {@code DynamoDb.TransactWriteItems})
 * and per occurrence of it within a test, one of {@link Fault}. Installed on real SDK clients,
 * so the SDK's own retry policy sees each fault exactly as it would see AWS's.
 *
 * <p>A fault is armed for one execution (the n-th call of that operation) and hits either its
 * first attempt only (the SDK's retry then goes through) or every attempt.
 */
public final class FaultInjector implements ExecutionInterceptor {
    private static final ExecutionAttribute<Armed> TARGETED = new ExecutionAttribute<>("keyward.fault");
    private static final ExecutionAttribute<AtomicInteger> ATTEMPTS = new ExecutionAttribute<>("keyward.fault.attempts");

    /** What AWS does to a request. */
    public enum Fault {
        /** The request is applied, then the answer never arrives (a timeout after sending). */
        LOST_RESPONSE,
        /** The request never reaches AWS (connection refused). */
        NOT_SENT,
        /** TransactionCanceledException with reason TransactionConflict, or TransactionConflictException. */
        CONFLICT,
        /** ThrottlingException (ProvisionedThroughputExceededException on DynamoDB). */
        THROTTLING,
        /** HTTP 500 from the service, nothing applied. */
        SERVER_ERROR;

        /** Whether AWS can answer this to {@code operation}. */
        public boolean appliesTo(String operation) {
            return this != CONFLICT || operation.startsWith("DynamoDb.")
                    && !operation.endsWith(".GetItem") && !operation.endsWith(".Query");
        }
    }

    private record Armed(String operation, int occurrence, Fault fault, boolean everyAttempt) {
    }

    private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    private final List<String> fired = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile Armed armed;

    /**
     * Arms {@code fault} for the {@code occurrence}-th (1-based) call of {@code operation} from now
     * on, or for every call of it when {@code occurrence} is 0 (a conflict that outlasts retries).
     */
    public FaultInjector arm(String operation, int occurrence, Fault fault, boolean everyAttempt) {
        executions.clear();
        fired.clear();
        armed = new Armed(operation, occurrence, fault, everyAttempt);
        return this;
    }

    public void disarm() {
        armed = null;
    }

    /** How many attempts the fault hit. */
    public int firedCount() {
        return fired.size();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Armed current = armed;
        String operation = operation(attributes);
        int n = executions.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        if (current != null && current.operation().equals(operation)
                && (current.occurrence() == n || current.occurrence() == 0)) {
            attributes.putAttribute(TARGETED, current);
            attributes.putAttribute(ATTEMPTS, new AtomicInteger());
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Armed target = hits(attributes);
        if (target == null || target.fault() == Fault.LOST_RESPONSE) {
            return;
        }
        fired.add(target.operation());
        String operation = target.operation();
        throw switch (target.fault()) {
            case NOT_SENT -> SdkClientException.create("Unable to execute HTTP request: Connection refused",
                    new ConnectException("Connection refused"));
            case CONFLICT -> conflict(context.request());
            case THROTTLING -> operation.startsWith("DynamoDb.")
                    ? ProvisionedThroughputExceededException.builder().statusCode(400)
                            .awsErrorDetails(details("ProvisionedThroughputExceededException", "DynamoDb")).build()
                    : SecretsManagerException.builder().statusCode(400)
                            .awsErrorDetails(details("ThrottlingException", "SecretsManager")).build();
            case SERVER_ERROR -> operation.startsWith("DynamoDb.")
                    ? DynamoDbException.builder().statusCode(500)
                            .awsErrorDetails(details("InternalServerError", "DynamoDb")).build()
                    : SecretsManagerException.builder().statusCode(500)
                            .awsErrorDetails(details("InternalServiceError", "SecretsManager")).build();
            case LOST_RESPONSE -> new IllegalStateException("unreachable");
        };
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        Armed target = lostResponse(attributes);
        if (target != null) {
            fired.add(target.operation());
            closeQuietly(context);
            throw SdkClientException.create("Unable to execute HTTP request: Read timed out",
                    new SocketTimeoutException("Read timed out"));
        }
    }

    /** The armed fault if it hits this attempt; counts the attempt. */
    private static Armed hits(ExecutionAttributes attributes) {
        Armed target = attributes.getAttribute(TARGETED);
        if (target == null) {
            return null;
        }
        int attempt = attributes.getAttribute(ATTEMPTS).incrementAndGet();
        return target.everyAttempt() || attempt == 1 ? target : null;
    }

    private static Armed lostResponse(ExecutionAttributes attributes) {
        Armed target = attributes.getAttribute(TARGETED);
        if (target == null || target.fault() != Fault.LOST_RESPONSE) {
            return null;
        }
        // beforeTransmission counted this attempt already
        int attempt = attributes.getAttribute(ATTEMPTS).get();
        return target.everyAttempt() || attempt == 1 ? target : null;
    }

    private static RuntimeException conflict(SdkRequest request) {
        if (request instanceof TransactWriteItemsRequest transaction) {
            List<CancellationReason> reasons = new ArrayList<>();
            for (int i = 0; i < transaction.transactItems().size(); i++) {
                reasons.add(CancellationReason.builder().code(i == 0 ? "TransactionConflict" : "None")
                        .message(i == 0 ? "Transaction is ongoing for the item" : null).build());
            }
            return TransactionCanceledException.builder().statusCode(400).cancellationReasons(reasons)
                    .awsErrorDetails(details("TransactionCanceledException", "DynamoDb")).build();
        }
        return TransactionConflictException.builder().statusCode(400)
                .awsErrorDetails(details("TransactionConflictException", "DynamoDb")).build();
    }

    private static AwsErrorDetails details(String code, String service) {
        return AwsErrorDetails.builder().errorCode(code).serviceName(service).errorMessage("injected " + code).build();
    }

    private static String operation(ExecutionAttributes attributes) {
        return attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }

    private static void closeQuietly(Context.AfterTransmission context) {
        context.responseBody().ifPresent(body -> {
            try {
                body.close();
            } catch (IOException ignored) {
                // the answer is being thrown away anyway
            }
        });
    }
}
