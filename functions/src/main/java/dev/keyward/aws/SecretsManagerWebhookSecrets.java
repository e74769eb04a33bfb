package dev.keyward.aws;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.WebhookSecrets;
import dev.keyward.core.WebhookSigner;
import dev.keyward.core.WebhookSigningSecrets;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Webhook signing secrets, one Secrets Manager secret per endpoint named
 * {@code keyward-webhooks/{accountId}/{endpointId}}: a prefix of their own, which the keys'
 * {@code keyward/*} permissions do not reach, so the delivery function may read these and no
 * key's secret. SecretString: the {@code whsec_...} secret itself, or after a rotation with an
 * overlap a JSON object {@code {"current": "whsec_...", "previous": "whsec_...", "previousUntil":
 * "2025-03-02T10:00:00Z"}}: the previous secret lives here with the current one, never in the table,
 * and one read gives both.
 */
public final class SecretsManagerWebhookSecrets implements WebhookSecrets {
    public static final String NAME_PREFIX = "keyward-webhooks/";
    private static final String DEPENDENCY = "Secrets Manager";
    private static final String CURRENT = "current";
    private static final String PREVIOUS = "previous";
    private static final String PREVIOUS_UNTIL = "previousUntil";
    /** The label of the version in force, which deliveries read. */
    private static final String IN_FORCE = "AWSCURRENT";
    /** A rotation's new version until it is moved in force. */
    private static final String PENDING = "AWSPENDING";

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

    /**
     * A new version of the secret staged {@code AWSPENDING}, then {@code AWSCURRENT} moved to it
     * from the version read ({@code replacing}): Secrets Manager moves the label only from the
     * version that holds it, so of two rotations that read the same version one moves it and the
     * other finds it gone. When the move is refused, or its outcome is unknown and retried, the
     * version in force decides: ours (an earlier attempt of this very call moved it) or another.
     */
    @Override
    public boolean replace(String accountId, String endpointId, WebhookSigningSecrets secrets, String replacing,
                           String requestId) {
        String name = secretName(accountId, endpointId);
        String value = secretString(secrets);
        String token = AwsErrors.requestToken(requestId);
        try {
            if (replacing == null) {
                client.get().putSecretValue(p -> p.secretId(name).secretString(value).clientRequestToken(token));
                return true;
            }
            String staged = client.get().putSecretValue(p -> p.secretId(name).secretString(value).clientRequestToken(token)
                    .versionStages(PENDING)).versionId();
            try {
                client.get().updateSecretVersionStage(u -> u.secretId(name).versionStage(IN_FORCE)
                        .moveToVersionId(staged).removeFromVersionId(replacing));
                return true;
            } catch (InvalidParameterException | InvalidRequestException refused) {
                String inForce = client.get().getSecretValue(g -> g.secretId(name)).versionId();
                if (inForce.equals(staged)) {
                    return true;
                }
                if (!inForce.equals(replacing)) {
                    return false;
                }
                throw refused;
            }
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    @Override
    public Optional<Found> read(String accountId, String endpointId) {
        try {
            GetSecretValueResponse value = client.get().getSecretValue(g -> g.secretId(secretName(accountId, endpointId)));
            return Optional.ofNullable(value.secretString()).map(text -> new Found(secrets(text), value.versionId()));
        } catch (ResourceNotFoundException | InvalidRequestException gone) {
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    /** The SecretString: the secret alone while there is no previous one, else the JSON object. */
    static String secretString(WebhookSigningSecrets secrets) {
        if (secrets.previous() == null) {
            return secrets.current();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(CURRENT, secrets.current());
        json.put(PREVIOUS, secrets.previous());
        json.put(PREVIOUS_UNTIL, secrets.previousUntil().toString());
        try {
            return JSON.std.asString(json);
        } catch (IOException e) {
            throw new IllegalStateException("A map of strings always serializes", e);
        }
    }

    static WebhookSigningSecrets secrets(String secretString) {
        if (secretString.startsWith(WebhookSigner.SECRET_PREFIX)) {
            return WebhookSigningSecrets.of(secretString);
        }
        try {
            Map<String, Object> json = JSON.std.mapFrom(secretString);
            if (json.get(CURRENT) instanceof String current) {
                if (json.get(PREVIOUS) instanceof String previous && json.get(PREVIOUS_UNTIL) instanceof String until) {
                    return new WebhookSigningSecrets(current, previous, Instant.parse(until));
                }
                return WebhookSigningSecrets.of(current);
            }
        } catch (IOException | DateTimeParseException e) {
            // the message could quote the value: say only what it is not
        }
        throw new IllegalStateException("The stored webhook signing secret is not in a form Keyward writes");
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
