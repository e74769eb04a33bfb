package dev.keyward.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link SecretVault} in a map that records the order of calls, for unit tests of the service. */
final class InMemoryVault implements SecretVault {
    final Map<String, String> secrets = new ConcurrentHashMap<>();

    final List<String> calls = new ArrayList<>();
    RuntimeException failDestroy;
    RuntimeException failReplace;
    /** Runs before each read: what another request does meanwhile. */
    Runnable beforeRead = () -> { };

    static String ref(String accountId, String keyId) {
        return "vault:" + accountId + "/" + keyId;
    }

    @Override
    public String store(String accountId, String keyId, String clientId, String clientSecret) {
        calls.add("store " + keyId);
        secrets.put(ref(accountId, keyId), clientSecret);
        return ref(accountId, keyId);
    }

    @Override
    public void replace(String secretRef, String clientId, String clientSecret) {
        calls.add("replace " + secretRef);
        if (failReplace != null) {
            throw failReplace;
        }
        if (!secrets.containsKey(secretRef)) {
            throw KeywardException.keyNotFound();
        }
        secrets.put(secretRef, clientSecret);
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
