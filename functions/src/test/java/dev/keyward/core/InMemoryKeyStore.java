package dev.keyward.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link KeyStore} in a map, for unit tests of the service. */
final class InMemoryKeyStore implements KeyStore {
    final Map<String, TreeMap<String, StoredKey>> accounts = new ConcurrentHashMap<>();
    final Map<String, String> secretHashes = new ConcurrentHashMap<>();
    RuntimeException failNextInsert;

    @Override
    public synchronized void insert(ApiKey key, String secretHash, String secretRef, int limit) {
        if (failNextInsert != null) {
            RuntimeException failure = failNextInsert;
            failNextInsert = null;
            throw failure;
        }
        TreeMap<String, StoredKey> keys = accounts.computeIfAbsent(key.accountId(), a -> new TreeMap<>());
        if (keys.size() >= limit) {
            throw KeyService.keyLimitReached(limit);
        }
        keys.put(key.id(), new StoredKey(key, secretRef));
        secretHashes.put(key.clientId(), secretHash);
    }

    @Override
    public Optional<StoredKey> find(String accountId, String keyId) {
        return Optional.ofNullable(accounts.getOrDefault(accountId, new TreeMap<>()).get(keyId));
    }

    @Override
    public int count(String accountId) {
        return accounts.getOrDefault(accountId, new TreeMap<>()).size();
    }

    @Override
    public Page list(String accountId, int limit, String afterKeyId) {
        List<ApiKey> newestFirst = new ArrayList<>(accounts.getOrDefault(accountId, new TreeMap<>()).values().stream()
                .map(StoredKey::key).sorted(Comparator.comparing(ApiKey::id).reversed()).toList());
        if (afterKeyId != null) {
            newestFirst.removeIf(k -> k.id().compareTo(afterKeyId) >= 0);
        }
        List<ApiKey> page = newestFirst.subList(0, Math.min(limit, newestFirst.size()));
        return new Page(page, newestFirst.size() > limit ? page.get(limit - 1).id() : null);
    }

    @Override
    public synchronized Optional<StoredKey> delete(String accountId, String keyId) {
        StoredKey removed = accounts.getOrDefault(accountId, new TreeMap<>()).remove(keyId);
        if (removed != null) {
            secretHashes.remove(removed.key().clientId());
        }
        return Optional.ofNullable(removed);
    }
}
