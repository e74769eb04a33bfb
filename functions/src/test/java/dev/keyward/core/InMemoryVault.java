package dev.keyward.core;

import dev.keyward.memory.MemoryVault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The in-memory {@link SecretVault}, recording the order of calls and failing on request, for unit tests of the use cases. */
class InMemoryVault extends MemoryVault {
    final Map<String, String> secrets = super.secrets;
    final List<String> calls = new ArrayList<>();
    RuntimeException failDestroy;
    RuntimeException failReplace;
    /** Thrown by the next replace after it was applied. */
    RuntimeException loseReplaceAnswer;
    /** Runs before each read: what another request does meanwhile. */
    Runnable beforeRead = () -> { };

    @Override
    public StoredSecret store(String accountId, String keyId, String clientId, String clientSecret, String requestId) {
        calls.add("store " + keyId);
        return super.store(accountId, keyId, clientId, clientSecret, requestId);
    }

    @Override
    public void replace(String secretRef, String clientId, String clientSecret, String requestId) {
        calls.add("replace " + secretRef);
        if (failReplace != null) {
            throw failReplace;
        }
        super.replace(secretRef, clientId, clientSecret, requestId);
        if (loseReplaceAnswer != null) {
            RuntimeException lost = loseReplaceAnswer;
            loseReplaceAnswer = null;
            throw lost;
        }
    }

    @Override
    public Optional<String> read(String secretRef) {
        beforeRead.run();
        return super.read(secretRef);
    }

    @Override
    public void destroy(String accountId, String keyId) {
        calls.add("destroy " + keyId);
        if (failDestroy != null) {
            throw failDestroy;
        }
        super.destroy(accountId, keyId);
    }
}
