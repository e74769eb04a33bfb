package dev.keyward.memory;

import dev.keyward.core.WebhookSecrets;
import dev.keyward.core.WebhookSigningSecrets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoints' signing secrets in memory, with SecretsManagerWebhookSecrets' conditions: a
 * secret is stored once under its endpoint (a repeated store keeps the first), replaced only
 * while it exists, and destroyed without complaint when already gone.
 */
public class MemoryWebhookSecrets implements WebhookSecrets {
    /** "accountId/endpointId" to the secrets. */
    protected final Map<String, WebhookSigningSecrets> secrets = new ConcurrentHashMap<>();

    protected static String name(String accountId, String endpointId) {
        return accountId + "/" + endpointId;
    }

    @Override
    public void store(String accountId, String endpointId, String secret, String requestId) {
        secrets.putIfAbsent(name(accountId, endpointId), WebhookSigningSecrets.of(secret));
    }

    @Override
    public void replace(String accountId, String endpointId, WebhookSigningSecrets replacement, String requestId) {
        if (secrets.computeIfPresent(name(accountId, endpointId), (name, old) -> replacement) == null) {
            throw new IllegalStateException("No signing secret for " + name(accountId, endpointId));
        }
    }

    @Override
    public Optional<WebhookSigningSecrets> read(String accountId, String endpointId) {
        return Optional.ofNullable(secrets.get(name(accountId, endpointId)));
    }

    @Override
    public void destroy(String accountId, String endpointId) {
        secrets.remove(name(accountId, endpointId));
    }
}
