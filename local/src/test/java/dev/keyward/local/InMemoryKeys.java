package dev.keyward.local;

import dev.keyward.core.ApiKey;
import dev.keyward.core.EventLog;
import dev.keyward.core.KeyService;
import dev.keyward.core.KeyStore;
import dev.keyward.core.SecretVault;
import dev.keyward.core.StoredKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link KeyService} over maps, so the real handlers can be routed to without an emulator. */
final class InMemoryKeys implements KeyStore, SecretVault {
    private final Map<String, StoredKey> keys = new ConcurrentHashMap<>();
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    static KeyService service() {
        InMemoryKeys memory = new InMemoryKeys();
        return new KeyService(memory, memory, Clock.systemUTC(), 100, EventLog.NONE);
    }

    @Override
    public void insert(ApiKey key, String secretHash, String secretRef, int limit) {
        keys.put(key.accountId() + "/" + key.id(), new StoredKey(key, secretRef));
    }

    @Override
    public Optional<StoredKey> find(String accountId, String keyId) {
        return Optional.ofNullable(keys.get(accountId + "/" + keyId));
    }

    @Override
    public int count(String accountId) {
        return (int) keys.values().stream().filter(k -> k.key().accountId().equals(accountId)).count();
    }

    @Override
    public Page list(String accountId, int limit, String afterKeyId) {
        List<ApiKey> all = new ArrayList<>(keys.values().stream().map(StoredKey::key)
                .filter(k -> k.accountId().equals(accountId))
                .filter(k -> afterKeyId == null || k.id().compareTo(afterKeyId) < 0)
                .sorted(Comparator.comparing(ApiKey::id).reversed()).toList());
        return all.size() > limit ? new Page(all.subList(0, limit), all.get(limit - 1).id()) : new Page(all, null);
    }

    @Override
    public Optional<StoredKey> delete(String accountId, String keyId) {
        return Optional.ofNullable(keys.remove(accountId + "/" + keyId));
    }

    @Override
    public String store(String accountId, String keyId, String clientId, String clientSecret) {
        secrets.put(accountId + "/" + keyId, clientSecret);
        return accountId + "/" + keyId;
    }

    @Override
    public Optional<String> read(String secretRef) {
        return Optional.ofNullable(secrets.get(secretRef));
    }

    @Override
    public void destroy(String accountId, String keyId) {
        secrets.remove(accountId + "/" + keyId);
    }

    @Override
    public List<Entry> list() {
        return secrets.keySet().stream().map(ref -> ref.split("/", 2))
                .map(ids -> new Entry(ids[0], ids[1], null)).toList();
    }
}
