package dev.keyward.memory;

import dev.keyward.core.KeywardException;
import dev.keyward.core.SecretVault;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link SecretVault} in maps: one secret per key, each write's value kept under its request id. */
public class MemoryVault implements SecretVault {
    /** The current secret, by reference. */
    protected final Map<String, String> secrets = new ConcurrentHashMap<>();
    protected final Map<String, String> clientIds = new ConcurrentHashMap<>();
    /** Per "reference@requestId", the value that write stored. */
    protected final Map<String, String> versions = new ConcurrentHashMap<>();

    /** The reference of a key's secret. */
    public static String ref(String accountId, String keyId) {
        return "vault:" + accountId + "/" + keyId;
    }

    @Override
    public StoredSecret store(String accountId, String keyId, String clientId, String clientSecret, String requestId) {
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
        if (!secrets.containsKey(secretRef)) {
            throw KeywardException.keyNotFound();
        }
        secrets.put(secretRef, clientSecret);
        versions.put(secretRef + "@" + requestId, clientSecret);
    }

    @Override
    public Optional<String> readVersion(String secretRef, String requestId) {
        return secrets.containsKey(secretRef) ? Optional.ofNullable(versions.get(secretRef + "@" + requestId)) : Optional.empty();
    }

    @Override
    public Optional<String> read(String secretRef) {
        return Optional.ofNullable(secrets.get(secretRef));
    }

    @Override
    public void destroy(String accountId, String keyId) {
        secrets.remove(ref(accountId, keyId));
    }
}
