package dev.keyward.aws;

import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Builds the AWS clients: explicit region and credentials, one URLConnection HTTP client shared
 * by both (no Apache, no Netty: less to load at cold start), and the endpoint override used for
 * emulators.
 */
public final class AwsClients implements AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(8);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);

    private final SdkHttpClient http;
    private final DynamoDbClient dynamoDb;
    private final SecretsManagerClient secretsManager;

    public AwsClients(AwsSettings settings) {
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(ATTEMPT_TIMEOUT)
                .build();
        this.dynamoDb = configure(DynamoDbClient.builder(), settings).build();
        this.secretsManager = configure(SecretsManagerClient.builder(), settings).build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder,
                                                                                     AwsSettings settings) {
        builder.httpClient(http)
                .region(settings.region())
                .credentialsProvider(settings.credentials())
                .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT).apiCallAttemptTimeout(ATTEMPT_TIMEOUT));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public SecretsManagerClient secretsManager() {
        return secretsManager;
    }

    @Override
    public void close() {
        dynamoDb.close();
        secretsManager.close();
        http.close();
    }
}
