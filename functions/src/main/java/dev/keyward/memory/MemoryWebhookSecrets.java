package dev.keyward.memory;

import dev.keyward.core.WebhookSecrets;
import dev.keyward.core.WebhookSigningSecrets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The endpoints' signing secrets in memory, with SecretsManagerWebhookSecrets' conditions: a
 * secret is stored once under its endpoint (a repeated store keeps the first), replaced only
 * while it exists and only from the version read, and destroyed without complaint when already gone.
 */
public class MemoryWebhookSecrets implements WebhookSecrets {
    /** "accountId/endpointId" to the secrets and their version. */
    protected final Map<String, Found> secrets = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    protected static String name(String accountId, String endpointId) {
        return accountId + "/" + endpointId;
    }

    @Override
    public void store(String accountId, String endpointId, String secret, String requestId) {
        secrets.putIfAbsent(name(accountId, endpointId), new Found(WebhookSigningSecrets.of(secret), nextVersion()));
    }

    @Override
    public boolean replace(String accountId, String endpointId, WebhookSigningSecrets replacement, String replacing,
                           String requestId) {
        boolean[] replaced = {false};
        Found now = secrets.computeIfPresent(name(accountId, endpointId), (name, old) -> {
            if (replacing != null && !replacing.equals(old.version())) {
                return old;
            }
            replaced[0] = true;
            return new Found(replacement, nextVersion());
        });
        if (now == null) {
            throw new IllegalStateException("No signing secret for " + name(accountId, endpointId));
        }
        return replaced[0];
    }

    @Override
    public Optional<Found> read(String accountId, String endpointId) {
        return Optional.ofNullable(secrets.get(name(accountId, endpointId)));
    }

    private String nextVersion() {
        return "v" + versions.incrementAndGet();
    }

    @Override
    public void destroy(String accountId, String endpointId) {
        secrets.remove(name(accountId, endpointId));
    }
}
