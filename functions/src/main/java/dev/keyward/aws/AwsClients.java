package dev.keyward.aws;

import dev.keyward.telemetry.Invocation;
import dev.keyward.telemetry.XRaySubsegments;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.awscore.defaultsmode.DefaultsMode;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.http.urlconnection.ProxyConfiguration;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
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

    /**
     * What the SDK lets a client skip at start-up, each measured on its own (docs/performance.md,
     * {@code make bench-cold}'s "SDK levers"). {@link #KEPT} are the ones that pay.
     */
    public enum StartupLever {
        /** One fixed endpoint per client instead of the SDK's endpoint rules engine. */
        FIXED_ENDPOINT,
        /** No reading of ~/.aws/config and ~/.aws/credentials: an empty profile file. */
        NO_PROFILE_FILE,
        /** No proxy from system properties or environment variables (Lambda has none). */
        NO_PROXY_LOOKUP,
        /** Dual-stack, FIPS and the defaults mode set, not looked up in the environment and profile. */
        FIXED_SETTINGS
    }

    /**
     * The levers the functions use: none, for none pays on SDK 2.57 with the region, the
     * credentials and the HTTP client already given. Measured one at a time, the empty profile
     * file, the proxy lookup and the fixed settings each move the classes loaded by less than
     * the ten or so one run differs from the next, and a fixed endpoint provider loads 5 to 34
     * more (the endpoint rules are generated code now, not a rules engine read at run time).
     */
    public static final Set<StartupLever> KEPT = Collections.unmodifiableSet(EnumSet.noneOf(StartupLever.class));

    private final Target target;
    private final Set<StartupLever> levers;
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
        this(target, interceptors, timeouts, KEPT);
    }

    /** With only {@code levers} pulled: for measuring each one. */
    public AwsClients(Target target, List<ExecutionInterceptor> interceptors, Timeouts timeouts, Set<StartupLever> levers) {
        this(target, interceptors, timeouts, levers, http(timeouts, levers));
    }

    /** Over {@code http} (priming's answers from memory), which {@link #close} closes. */
    public AwsClients(Target target, List<ExecutionInterceptor> interceptors, Timeouts timeouts, SdkHttpClient http) {
        this(target, interceptors, timeouts, KEPT, http);
    }

    private AwsClients(Target target, List<ExecutionInterceptor> interceptors, Timeouts timeouts, Set<StartupLever> levers,
                       SdkHttpClient http) {
        this.target = target;
        this.levers = levers.isEmpty() ? EnumSet.noneOf(StartupLever.class) : EnumSet.copyOf(levers);
        this.timeouts = timeouts;
        List<ExecutionInterceptor> all = new ArrayList<>();
        all.add(new CallBudget(timeouts, Invocation::budgetLeft));
        // an X-Ray subsegment per call, when Lambda traces the invocation
        all.add(XRaySubsegments.fromEnvironment());
        all.addAll(interceptors);
        this.interceptors = List.copyOf(all);
        this.http = http;
        DynamoDbClientBuilder dynamo = configure(DynamoDbClient.builder());
        if (this.levers.contains(StartupLever.FIXED_ENDPOINT)) {
            Endpoint endpoint = endpoint("dynamodb");
            dynamo.endpointProvider(params -> CompletableFuture.completedFuture(endpoint));
        }
        this.dynamoDb = dynamo.build();
    }

    private static SdkHttpClient http(Timeouts timeouts, Set<StartupLever> levers) {
        UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(timeouts.attempt());
        if (levers.contains(StartupLever.NO_PROXY_LOOKUP)) {
            http.proxyConfiguration(ProxyConfiguration.builder().useSystemPropertyValues(false)
                    .useEnvironmentVariablesValues(false).build());
        }
        return http.build();
    }

    /** An empty profile file, what a Lambda sandbox has, made only if the SDK asks for one. */
    private static ProfileFile noProfiles() {
        return ProfileFile.builder().content(new ByteArrayInputStream(new byte[0])).type(ProfileFile.Type.CONFIGURATION).build();
    }

    /** The service's regional endpoint, or the emulator's. */
    private Endpoint endpoint(String service) {
        URI uri = target.endpoint().orElseGet(() -> URI.create("https://" + service + "." + target.region().id() + ".amazonaws.com"));
        return Endpoint.builder().url(uri).build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        builder.httpClient(http)
                .region(target.region())
                .credentialsProvider(target.credentials())
                .overrideConfiguration(o -> {
                    o.apiCallTimeout(timeouts.call()).apiCallAttemptTimeout(timeouts.attempt())
                            .retryStrategy(RETRIES)
                            .executionInterceptors(interceptors);
                    if (levers.contains(StartupLever.NO_PROFILE_FILE)) {
                        o.defaultProfileFileSupplier(AwsClients::noProfiles).defaultProfileName("default");
                    }
                });
        if (levers.contains(StartupLever.FIXED_SETTINGS)) {
            builder.dualstackEnabled(false).fipsEnabled(false).defaultsMode(DefaultsMode.LEGACY);
        }
        if (!levers.contains(StartupLever.FIXED_ENDPOINT)) {
            target.endpoint().ifPresent(builder::endpointOverride);
        }
        return builder;
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public synchronized SecretsManagerClient secretsManager() {
        if (secretsManager == null) {
            SecretsManagerClientBuilder builder = configure(SecretsManagerClient.builder());
            if (levers.contains(StartupLever.FIXED_ENDPOINT)) {
                Endpoint endpoint = endpoint("secretsmanager");
                builder.endpointProvider(params -> CompletableFuture.completedFuture(endpoint));
            }
            secretsManager = builder.build();
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
