package dev.keyward.memory;

import dev.keyward.core.WebhookSecrets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoints' signing secrets in memory, with SecretsManagerWebhookSecrets' conditions: a
 * secret is stored once under its endpoint (a repeated store keeps the first), replaced only
 * while it exists, and destroyed without complaint when already gone.
 */
public class MemoryWebhookSecrets implements WebhookSecrets {
    /** "accountId/endpointId" to the secret. */
    protected final Map<String, String> secrets = new ConcurrentHashMap<>();

    protected static String name(String accountId, String endpointId) {
        return accountId + "/" + endpointId;
    }

    @Override
    public void store(String accountId, String endpointId, String secret, String requestId) {
        secrets.putIfAbsent(name(accountId, endpointId), secret);
    }

    @Override
    public void replace(String accountId, String endpointId, String secret, String requestId) {
        if (secrets.computeIfPresent(name(accountId, endpointId), (name, old) -> secret) == null) {
            throw new IllegalStateException("No signing secret for " + name(accountId, endpointId));
        }
    }

    @Override
    public Optional<String> read(String accountId, String endpointId) {
        return Optional.ofNullable(secrets.get(name(accountId, endpointId)));
    }

    @Override
    public void destroy(String accountId, String endpointId) {
        secrets.remove(name(accountId, endpointId));
    }
}
