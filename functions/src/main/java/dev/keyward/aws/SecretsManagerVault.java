package dev.keyward.aws;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.KeywardException;
import dev.keyward.core.SecretVault;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
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
    public StoredSecret store(String accountId, String keyId, String clientId, String clientSecret, String requestId) {
        String name = secretName(accountId, keyId);
        CreateSecretRequest.Builder request = CreateSecretRequest.builder()
                .name(name)
                .description("Keyward API key credentials")
                // the SDK's retry of a create that was applied is then the same request, not a second secret
                .clientRequestToken(AwsErrors.requestToken(requestId))
                .secretString(toJson(clientId, clientSecret))
                .tags(Tag.builder().key(TAG_ACCOUNT).value(accountId).build(),
                        Tag.builder().key(TAG_KEY).value(keyId).build());
        kmsKeyId.ifPresent(request::kmsKeyId);
        try {
            return new StoredSecret(client.get().createSecret(request.build()).arn(), clientId, clientSecret);
        } catch (ResourceExistsException exists) {
            // the name holds the key id, which only this create uses: an earlier attempt stored it
            return adopt(name);
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    private StoredSecret adopt(String name) {
        try {
            GetSecretValueResponse stored = client.get().getSecretValue(g -> g.secretId(name));
            Map<String, Object> json = JSON.std.mapFrom(stored.secretString());
            return new StoredSecret(stored.arn(), (String) json.get("clientId"), (String) json.get("clientSecret"));
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        } catch (IOException e) {
            throw new IllegalStateException("The stored secret is not the JSON Keyward writes");
        }
    }

    /** PutSecretValue: the new value becomes AWSCURRENT, the old one AWSPREVIOUS. */
    @Override
    public void replace(String secretRef, String clientId, String clientSecret, String requestId) {
        try {
            client.get().putSecretValue(p -> p.secretId(secretRef).secretString(toJson(clientId, clientSecret))
                    // also the new version's id, which readVersion reads back
                    .clientRequestToken(AwsErrors.requestToken(requestId)));
        } catch (ResourceNotFoundException | InvalidRequestException gone) {
            // InvalidRequestException: the secret is scheduled for deletion, its key deleted
            throw KeywardException.keyNotFound();
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    @Override
    public Optional<String> read(String secretRef) {
        return read(g -> g.secretId(secretRef));
    }

    @Override
    public Optional<String> readVersion(String secretRef, String requestId) {
        return read(g -> g.secretId(secretRef).versionId(AwsErrors.requestToken(requestId)));
    }

    private Optional<String> read(java.util.function.Consumer<GetSecretValueRequest.Builder> request) {
        String json;
        try {
            json = client.get().getSecretValue(request).secretString();
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
