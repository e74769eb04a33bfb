package dev.keyward.core;

import dev.keyward.memory.MemoryWebhookSecrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The in-memory {@link WebhookSecrets}, recording calls (never a secret) and failing on request. */
class InMemoryWebhookSecrets extends MemoryWebhookSecrets {
    final Map<String, Found> stored = super.secrets;
    final List<String> calls = new ArrayList<>();
    RuntimeException failDestroy;
    /** Thrown by the next store, after it stored the secret when {@link #storeThenFail} (an answer lost). */
    RuntimeException failStore;
    boolean storeThenFail;
    /** Run once, at the start of the next replace: what happens between a rotation's read and its write. */
    Runnable beforeNextReplace;

    @Override
    public void store(String accountId, String endpointId, String secret, String requestId) {
        calls.add("store " + endpointId + " " + requestId);
        RuntimeException failure = failStore;
        failStore = null;
        if (failure != null && !storeThenFail) {
            throw failure;
        }
        super.store(accountId, endpointId, secret, requestId);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public boolean replace(String accountId, String endpointId, WebhookSigningSecrets replacement, String replacing,
                           String requestId) {
        calls.add("replace " + endpointId + " " + requestId);
        Runnable meanwhile = beforeNextReplace;
        beforeNextReplace = null;
        if (meanwhile != null) {
            meanwhile.run();
        }
        return super.replace(accountId, endpointId, replacement, replacing, requestId);
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
        return stored.get(name(accountId, endpointId)).secrets().current();
    }

    WebhookSigningSecrets all(String accountId, String endpointId) {
        return stored.get(name(accountId, endpointId)).secrets();
    }
}
