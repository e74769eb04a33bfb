package dev.keyward.aws;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.KeywardException;
import dev.keyward.core.SecretVault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * One Secrets Manager secret per key, named {@code keyward/{accountId}/{keyId}} and tagged with
 * both ids, so that an integration's IAM role can be allowed exactly its own secret.
 * SecretString: {@code {"clientId": "...", "clientSecret": "..."}}.
 */
public final class SecretsManagerVault implements SecretVault {
    public static final String NAME_PREFIX = "keyward/";
    public static final String TAG_ACCOUNT = "keyward:accountId";
    public static final String TAG_KEY = "keyward:keyId";
    private static final String DEPENDENCY = "Secrets Manager";

    private final Supplier<SecretsManagerClient> client;
    private final Optional<String> kmsKeyId;

    public SecretsManagerVault(SecretsManagerClient secrets, Optional<String> kmsKeyId) {
        this(() -> secrets, kmsKeyId);
    }

    /** @param client built on first use: a function that never reaches Secrets Manager never builds it */
    public SecretsManagerVault(Supplier<SecretsManagerClient> client, Optional<String> kmsKeyId) {
        this.client = client;
        this.kmsKeyId = kmsKeyId;
    }

    public static String secretName(String accountId, String keyId) {
        return NAME_PREFIX + accountId + "/" + keyId;
    }

    @Override
    public String store(String accountId, String keyId, String clientId, String clientSecret) {
        CreateSecretRequest.Builder request = CreateSecretRequest.builder()
                .name(secretName(accountId, keyId))
                .description("Keyward API key credentials")
                // derived from the key id, so a retried create is the same request to Secrets Manager
                .clientRequestToken(UUID.nameUUIDFromBytes(keyId.getBytes(StandardCharsets.US_ASCII)).toString())
                .secretString(toJson(clientId, clientSecret))
                .tags(Tag.builder().key(TAG_ACCOUNT).value(accountId).build(),
                        Tag.builder().key(TAG_KEY).value(keyId).build());
        kmsKeyId.ifPresent(request::kmsKeyId);
        try {
            return client.get().createSecret(request.build()).arn();
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    /** PutSecretValue: the new value becomes AWSCURRENT, the old one AWSPREVIOUS. */
    @Override
    public void replace(String secretRef, String clientId, String clientSecret) {
        try {
            client.get().putSecretValue(p -> p.secretId(secretRef).secretString(toJson(clientId, clientSecret)));
        } catch (ResourceNotFoundException | InvalidRequestException gone) {
            // InvalidRequestException: the secret is scheduled for deletion, its key deleted
            throw KeywardException.keyNotFound();
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    @Override
    public Optional<String> read(String secretRef) {
        String json;
        try {
            json = client.get().getSecretValue(g -> g.secretId(secretRef)).secretString();
        } catch (ResourceNotFoundException | InvalidRequestException gone) {
            // InvalidRequestException: the secret is scheduled for deletion
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
        try {
            Object secret = JSON.std.mapFrom(json).get("clientSecret");
            return Optional.ofNullable(secret == null ? null : secret.toString());
        } catch (IOException e) {
            throw new IllegalStateException("The stored secret is not the JSON Keyward writes");
        }
    }

    @Override
    public void destroy(String accountId, String keyId) {
        try {
            client.get().deleteSecret(d -> d.secretId(secretName(accountId, keyId)).forceDeleteWithoutRecovery(true));
        } catch (ResourceNotFoundException alreadyGone) {
            // nothing left to delete
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    private static String toJson(String clientId, String clientSecret) {
        try {
            return JSON.std.asString(Map.of("clientId", clientId, "clientSecret", clientSecret));
        } catch (IOException e) {
            throw new IllegalStateException("Two strings always serialize", e);
        }
    }
}
