package dev.keyward.aws;

import dev.keyward.telemetry.XRaySubsegments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Builds the AWS clients: explicit region and credentials, one URLConnection HTTP client shared
 * by both (no Apache, no Netty: less to load at cold start), and the endpoint override used for
 * emulators. The Secrets Manager client is built on first use, so the authorizer, which never
 * calls it, does not pay for it at cold start.
 */
public final class AwsClients implements AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(8);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);

    private final AwsSettings settings;
    private final List<ExecutionInterceptor> interceptors;
    private final SdkHttpClient http;
    private final DynamoDbClient dynamoDb;
    private SecretsManagerClient secretsManager;

    public AwsClients(AwsSettings settings) {
        this(settings, List.of());
    }

    /** @param interceptors see every request of both clients; tests count calls with them */
    public AwsClients(AwsSettings settings, List<ExecutionInterceptor> interceptors) {
        this.settings = settings;
        List<ExecutionInterceptor> all = new ArrayList<>();
        // an X-Ray subsegment per call, when Lambda traces the invocation
        all.add(XRaySubsegments.fromEnvironment());
        all.addAll(interceptors);
        this.interceptors = List.copyOf(all);
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(ATTEMPT_TIMEOUT)
                .build();
        this.dynamoDb = configure(DynamoDbClient.builder()).build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        builder.httpClient(http)
                .region(settings.region())
                .credentialsProvider(settings.credentials())
                .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT).apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .executionInterceptors(interceptors));
        settings.endpoint().ifPresent(builder::endpointOverride);
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

    @Override
    public synchronized void close() {
        dynamoDb.close();
        if (secretsManager != null) {
            secretsManager.close();
        }
        http.close();
    }
}
