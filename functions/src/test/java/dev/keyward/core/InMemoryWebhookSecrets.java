package dev.keyward.core;

import dev.keyward.memory.MemoryWebhookSecrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The in-memory {@link WebhookSecrets}, recording calls (never a secret) and failing on request. */
class InMemoryWebhookSecrets extends MemoryWebhookSecrets {
    final Map<String, WebhookSigningSecrets> stored = super.secrets;
    final List<String> calls = new ArrayList<>();
    RuntimeException failDestroy;

    @Override
    public void store(String accountId, String endpointId, String secret, String requestId) {
        calls.add("store " + endpointId + " " + requestId);
        super.store(accountId, endpointId, secret, requestId);
    }

    @Override
    public void replace(String accountId, String endpointId, WebhookSigningSecrets replacement, String requestId) {
        calls.add("replace " + endpointId + " " + requestId);
        super.replace(accountId, endpointId, replacement, requestId);
    }

    @Override
    public void destroy(String accountId, String endpointId) {
        calls.add("destroy " + endpointId);
        if (failDestroy != null) {
            throw failDestroy;
        }
        super.destroy(accountId, endpointId);
    }

    /** The endpoint's current secret. */
    String of(String accountId, String endpointId) {
        return stored.get(name(accountId, endpointId)).current();
    }

    WebhookSigningSecrets all(String accountId, String endpointId) {
        return stored.get(name(accountId, endpointId));
    }
}
