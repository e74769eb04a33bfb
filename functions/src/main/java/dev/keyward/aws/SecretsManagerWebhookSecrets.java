package dev.keyward.aws;

import dev.keyward.core.WebhookSecrets;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Webhook signing secrets, one Secrets Manager secret per endpoint named
 * {@code keyward-webhooks/{accountId}/{endpointId}}: a prefix of their own, which the keys'
 * {@code keyward/*} permissions do not reach, so the delivery function may read these and no
 * key's secret. SecretString: the {@code whsec_...} secret itself.
 */
public final class SecretsManagerWebhookSecrets implements WebhookSecrets {
    public static final String NAME_PREFIX = "keyward-webhooks/";
    private static final String DEPENDENCY = "Secrets Manager";

    private final Supplier<SecretsManagerClient> client;
    private final Optional<String> kmsKeyId;

    public SecretsManagerWebhookSecrets(Supplier<SecretsManagerClient> client, Optional<String> kmsKeyId) {
        this.client = client;
        this.kmsKeyId = kmsKeyId;
    }

    public static String secretName(String accountId, String endpointId) {
        return NAME_PREFIX + accountId + "/" + endpointId;
    }

    @Override
    public void store(String accountId, String endpointId, String secret, String requestId) {
        CreateSecretRequest.Builder request = CreateSecretRequest.builder()
                .name(secretName(accountId, endpointId))
                .description("Keyward webhook signing secret")
                .clientRequestToken(AwsErrors.requestToken(requestId))
                .secretString(secret)
                .tags(Tag.builder().key(SecretsManagerVault.TAG_ACCOUNT).value(accountId).build());
        kmsKeyId.ifPresent(request::kmsKeyId);
        try {
            client.get().createSecret(request.build());
        } catch (ResourceExistsException exists) {
            // the name holds the new endpoint's id: an earlier attempt of this call stored it
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    @Override
    public void replace(String accountId, String endpointId, String secret, String requestId) {
        try {
            client.get().putSecretValue(p -> p.secretId(secretName(accountId, endpointId)).secretString(secret)
                    .clientRequestToken(AwsErrors.requestToken(requestId)));
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    @Override
    public Optional<String> read(String accountId, String endpointId) {
        try {
            return Optional.ofNullable(client.get().getSecretValue(g -> g.secretId(secretName(accountId, endpointId)))
                    .secretString());
        } catch (ResourceNotFoundException | InvalidRequestException gone) {
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    @Override
    public void destroy(String accountId, String endpointId) {
        try {
            client.get().deleteSecret(d -> d.secretId(secretName(accountId, endpointId)).forceDeleteWithoutRecovery(true));
        } catch (ResourceNotFoundException alreadyGone) {
            // nothing left to delete
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }
}
