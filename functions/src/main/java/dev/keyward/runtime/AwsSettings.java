package dev.keyward.runtime;

import dev.keyward.aws.AwsClients;
import dev.keyward.core.KeyPorts;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Everything Keyward reads from its environment, in one place.
 *
 * @param endpoint where to send AWS calls instead of AWS itself (moto, LocalStack, Floci), if anywhere
 * @param kmsKeyId the customer-managed KMS key for the secrets, if any
 */
public record AwsSettings(Region region, Optional<URI> endpoint, AwsCredentialsProvider credentials,
                          String tableName, int keyLimit, Optional<String> kmsKeyId)
        implements AwsClients.Target {

    public static AwsSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static AwsSettings fromEnvironment(Map<String, String> env) {
        String region = require(env, "AWS_REGION");
        String table = require(env, "KEYS_TABLE");
        int limit = Optional.ofNullable(blankToNull(env.get("KEY_LIMIT")))
                .map(Integer::parseInt).orElse(KeyPorts.DEFAULT_KEY_LIMIT);
        // A SnapStart function gets no AWS_ACCESS_KEY_ID variables (a snapshot would freeze them):
        // Lambda serves its role's credentials from the endpoint this variable names instead.
        AwsCredentialsProvider credentials = blankToNull(env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")) != null
                ? ContainerCredentialsProvider.builder().build()
                : EnvironmentVariableCredentialsProvider.create();
        return new AwsSettings(Region.of(region),
                Optional.ofNullable(blankToNull(env.get("AWS_ENDPOINT_URL"))).map(URI::create),
                credentials,
                table, limit,
                Optional.ofNullable(blankToNull(env.get("SECRETS_KMS_KEY_ID"))));
    }

    private static String require(Map<String, String> env, String name) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            throw new IllegalStateException("Environment variable " + name + " must be set");
        }
        return value;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
