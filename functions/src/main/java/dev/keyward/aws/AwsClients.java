package dev.keyward.aws;

import dev.keyward.telemetry.Invocation;
import dev.keyward.telemetry.XRaySubsegments;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the AWS clients: explicit region and credentials, one URLConnection HTTP client shared
 * by both (no Apache, no Netty: less to load at cold start), and the endpoint override used for
 * emulators. The Secrets Manager client is built on first use, so the authorizer, which never
 * calls it, does not pay for it at cold start.
 */
public final class AwsClients implements AutoCloseable {
    /** Where the clients send their calls, as whom. */
    public interface Target {
        Region region();

        /** Where to send AWS calls instead of AWS itself (moto, LocalStack, Floci), if anywhere. */
        Optional<URI> endpoint();

        AwsCredentialsProvider credentials();
    }

    /**
     * How long one call may take with its retries, and one attempt (also the HTTP read timeout).
     *
     * @param call    the whole call, retries included
     * @param attempt one attempt
     */
    public record Timeouts(Duration call, Duration attempt) {
        /** The functions': well inside their 20 s timeout, with room for a retry. */
        public static final Timeouts FUNCTIONS = new Timeouts(Duration.ofSeconds(8), Duration.ofSeconds(3));
    }
    /**
     * The one retry layer for throttling, 5xx and I/O errors (transaction conflicts, which the
     * SDK does not retry, get theirs in {@link AwsErrors}): three attempts with full jitter,
     * short waits. DynamoDB's SDK default is nine attempts with waits up to 20 s, longer than a
     * request may take; a caller told 503 with Retry-After does better than a function that
     * times out. The token bucket stops retrying when most calls fail, so an outage does not
     * triple the load.
     */
    private static final RetryStrategy RETRIES = AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(3)
            .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(25), Duration.ofMillis(500)))
            .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(1)))
            .build();

    private final Target target;
    private final Timeouts timeouts;
    private final List<ExecutionInterceptor> interceptors;
    private final SdkHttpClient http;
    private final DynamoDbClient dynamoDb;
    private SecretsManagerClient secretsManager;
    private SqsClient sqs;

    public AwsClients(Target target) {
        this(target, List.of());
    }

    /**
     * @param interceptors see every request of both clients; tests count calls with them. Each
     *                     call is first fitted into the budget of the invocation under way
     *                     ({@link CallBudget}, {@link Invocation#budgetLeft}).
     */
    public AwsClients(Target target, List<ExecutionInterceptor> interceptors) {
        this(target, interceptors, Timeouts.FUNCTIONS);
    }

    public AwsClients(Target target, List<ExecutionInterceptor> interceptors, Timeouts timeouts) {
        this.target = target;
        this.timeouts = timeouts;
        List<ExecutionInterceptor> all = new ArrayList<>();
        all.add(new CallBudget(timeouts, Invocation::budgetLeft));
        // an X-Ray subsegment per call, when Lambda traces the invocation
        all.add(XRaySubsegments.fromEnvironment());
        all.addAll(interceptors);
        this.interceptors = List.copyOf(all);
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(timeouts.attempt())
                .build();
        this.dynamoDb = configure(DynamoDbClient.builder()).build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        builder.httpClient(http)
                .region(target.region())
                .credentialsProvider(target.credentials())
                .overrideConfiguration(o -> o.apiCallTimeout(timeouts.call()).apiCallAttemptTimeout(timeouts.attempt())
                        .retryStrategy(RETRIES)
                        .executionInterceptors(interceptors));
        target.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public synchronized SecretsManagerClient secretsManager() {
        if (secretsManager == null) {
            secretsManager = configure(SecretsManagerClient.builder()).build();
        }
        return secretsManager;
    }

    /** The webhook delivery queue's client, built on first use: only the delivery function calls SQS. */
    public synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = configure(SqsClient.builder()).build();
        }
        return sqs;
    }

    @Override
    public synchronized void close() {
        dynamoDb.close();
        if (secretsManager != null) {
            secretsManager.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        http.close();
    }
}
