package dev.keyward.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link SecretVault} in a map that records the order of calls, for unit tests of the service. */
class InMemoryVault implements SecretVault {
    final Map<String, String> secrets = new ConcurrentHashMap<>();
    final Map<String, String> clientIds = new ConcurrentHashMap<>();
    final Map<String, String> versions = new ConcurrentHashMap<>();

    final List<String> calls = new ArrayList<>();
    RuntimeException failDestroy;
    RuntimeException failReplace;
    /** Thrown by the next replace after it was applied. */
    RuntimeException loseReplaceAnswer;
    /** Runs before each read: what another request does meanwhile. */
    Runnable beforeRead = () -> { };

    static String ref(String accountId, String keyId) {
        return "vault:" + accountId + "/" + keyId;
    }

    @Override
    public StoredSecret store(String accountId, String keyId, String clientId, String clientSecret, String requestId) {
        calls.add("store " + keyId);
        String ref = ref(accountId, keyId);
        String existing = secrets.putIfAbsent(ref, clientSecret);
        if (existing != null) {
            return new StoredSecret(ref, clientIds.get(ref), existing);
        }
        clientIds.put(ref, clientId);
        versions.put(ref + "@" + requestId, clientSecret);
        return new StoredSecret(ref, clientId, clientSecret);
    }

    @Override
    public void replace(String secretRef, String clientId, String clientSecret, String requestId) {
        calls.add("replace " + secretRef);
        if (failReplace != null) {
            throw failReplace;
        }
        if (!secrets.containsKey(secretRef)) {
            throw KeywardException.keyNotFound();
        }
        secrets.put(secretRef, clientSecret);
        versions.put(secretRef + "@" + requestId, clientSecret);
        if (loseReplaceAnswer != null) {
            RuntimeException lost = loseReplaceAnswer;
            loseReplaceAnswer = null;
            throw lost;
        }
    }

    @Override
    public Optional<String> readVersion(String secretRef, String requestId) {
        return secrets.containsKey(secretRef) ? Optional.ofNullable(versions.get(secretRef + "@" + requestId)) : Optional.empty();
    }

    @Override
    public Optional<String> read(String secretRef) {
        beforeRead.run();
        return Optional.ofNullable(secrets.get(secretRef));
    }

    @Override
    public void destroy(String accountId, String keyId) {
        calls.add("destroy " + keyId);
        if (failDestroy != null) {
            throw failDestroy;
        }
        secrets.remove(ref(accountId, keyId));
    }
}
