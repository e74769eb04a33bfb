package dev.keyward.memory;

import dev.keyward.core.AccountSettings;
import dev.keyward.core.ApiKey;
import dev.keyward.core.ChangeEvent;
import dev.keyward.core.ClientRecord;
import dev.keyward.core.ClientStore;
import dev.keyward.core.DailyUsage;
import dev.keyward.core.DependencyUnavailableException;
import dev.keyward.core.ExpiredKey;
import dev.keyward.core.KeyStore;
import dev.keyward.core.KeyUpdate;
import dev.keyward.core.SettingsChange;
import dev.keyward.core.StoredKey;
import dev.keyward.core.UsageStore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A {@link KeyStore}, {@link ClientStore} and {@link UsageStore} in maps. Like the DynamoDB one, it
 * keeps a key and its client together, and each write is one step.
 */
public class MemoryKeyStore implements KeyStore, ClientStore, UsageStore {
    /** Per account, its keys by id. */
    protected final Map<String, TreeMap<String, StoredKey>> accounts = new ConcurrentHashMap<>();
    /** Per Client ID, the hash of the secret its key was created with. */
    protected final Map<String, String> secretHashes = new ConcurrentHashMap<>();
    protected final Map<String, ClientRecord> clients = new ConcurrentHashMap<>();
    /** Per "account#key", the secret's note. */
    protected final Map<String, SecretNote> notes = new ConcurrentHashMap<>();
    /** Per "account/key/day", the day's counts. */
    protected final Map<String, Counts> usage = new ConcurrentHashMap<>();
    /** Per "account/key", the denials written, in the order written. */
    protected final Map<String, List<Denial>> denials = new ConcurrentHashMap<>();
    protected final Map<String, AccountSettings> settings = new ConcurrentHashMap<>();
    /** Until when the sweep holds each note it claimed. */
    private final Map<String, Instant> sweepClaims = new ConcurrentHashMap<>();
    /** Where the events of committed changes go, as DynamoDB's transactions put them in the audit partition. */
    protected final MemoryAuditTrail committedEvents;

    public MemoryKeyStore() {
        this(new MemoryAuditTrail());
    }

    /** A store whose changes write their events into {@code committedEvents}, in the same step. */
    public MemoryKeyStore(MemoryAuditTrail committedEvents) {
        this.committedEvents = committedEvents;
    }

    private void committed(ChangeEvent event) {
        if (event != null) {
            committedEvents.committed(event);
        }
    }

    private static String noteId(String accountId, String keyId) {
        return accountId + "#" + keyId;
    }

    private TreeMap<String, StoredKey> keys(String accountId) {
        return accounts.getOrDefault(accountId, new TreeMap<>());
    }

    @Override
    public synchronized Insert insert(ApiKey key, String secretHash, String secretRef, int limit, ChangeEvent created) {
        TreeMap<String, StoredKey> keys = accounts.computeIfAbsent(key.accountId(), a -> new TreeMap<>());
        if (keys.containsKey(key.id())) {
            return Insert.ALREADY_SAVED;
        }
        if (keys.size() >= limit) {
            return Insert.LIMIT_REACHED;
        }
        keys.put(key.id(), new StoredKey(key, secretRef));
        secretHashes.put(key.clientId(), secretHash);
        clients.put(key.clientId(), new ClientRecord(key.clientId(), key.accountId(), key.id(), secretHash,
                List.of(), 0, null, key.expiresAt(), key.scopes(), key.enabled(), key.networks()));
        notes.remove(noteId(key.accountId(), key.id()));
        committed(created);
        return Insert.SAVED;
    }

    @Override
    public Optional<StoredKey> find(String accountId, String keyId) {
        return Optional.ofNullable(keys(accountId).get(keyId));
    }

    @Override
    public synchronized Optional<ApiKey> rename(ApiKey key, String name, ChangeEvent event) {
        Optional<ApiKey> renamed = change(key.accountId(), key.id(), stored -> stored.withName(name));
        renamed.ifPresent(changed -> committed(event));
        return renamed;
    }

    @Override
    public synchronized Optional<ApiKey> update(ApiKey key, KeyUpdate update, ChangeEvent event) {
        Optional<ApiKey> updated = change(key.accountId(), key.id(), stored -> stored.with(update));
        updated.ifPresent(changed -> {
            ClientRecord c = clients.get(changed.clientId());
            clients.put(c.clientId(), new ClientRecord(c.clientId(), c.accountId(), c.keyId(), c.secretHash(), c.others(),
                    c.revision(), c.rotationLeaseUntil(), changed.expiresAt(), changed.scopes(), changed.enabled(),
                    changed.networks()));
            committed(event);
        });
        return updated;
    }

    /** Writes the key {@code change} makes of the stored one; empty when there is none. */
    private Optional<ApiKey> change(String accountId, String keyId, UnaryOperator<ApiKey> change) {
        StoredKey stored = keys(accountId).get(keyId);
        if (stored == null) {
            return Optional.empty();
        }
        ApiKey changed = change.apply(stored.key());
        accounts.get(accountId).put(keyId, new StoredKey(changed, stored.secretRef()));
        return Optional.of(changed);
    }

    @Override
    public int count(String accountId) {
        return keys(accountId).size();
    }

    @Override
    public Page list(String accountId, int limit, String afterKeyId) {
        List<ApiKey> newestFirst = new ArrayList<>(keys(accountId).values().stream()
                .map(StoredKey::key).sorted(Comparator.comparing(ApiKey::id).reversed()).toList());
        if (afterKeyId != null) {
            newestFirst.removeIf(k -> k.id().compareTo(afterKeyId) >= 0);
        }
        List<ApiKey> page = newestFirst.subList(0, Math.min(limit, newestFirst.size()));
        return new Page(page, newestFirst.size() > limit ? page.get(limit - 1).id() : null);
    }

    @Override
    public synchronized boolean delete(StoredKey key, Instant at, List<ChangeEvent> events) {
        String accountId = key.key().accountId();
        String keyId = key.key().id();
        StoredKey removed = keys(accountId).remove(keyId);
        if (removed != null) {
            secretHashes.remove(removed.key().clientId());
            clients.remove(removed.key().clientId());
            noteSecret(accountId, keyId, at);
            events.forEach(this::committed);
        }
        return removed != null;
    }

    @Override
    public synchronized boolean deleteExpired(StoredKey key, Instant at, ChangeEvent event) {
        StoredKey stored = find(key.key().accountId(), key.key().id()).orElse(null);
        if (stored == null || key.key().expiresAt() == null || !key.key().expiresAt().equals(stored.key().expiresAt())) {
            return false;
        }
        delete(stored, at, List.of(event));
        return true;
    }

    @Override
    public List<ExpiredKey> expiredKeys(Instant expiredBefore) {
        return accounts.values().stream().flatMap(keys -> keys.values().stream()).map(StoredKey::key)
                .filter(k -> k.expiresAt() != null && k.expiresAt().isBefore(expiredBefore))
                .map(k -> new ExpiredKey(k.accountId(), k.id(), k.expiresAt())).toList();
    }

    @Override
    public AccountSettings settings(String accountId) {
        return settings.getOrDefault(accountId, AccountSettings.DEFAULTS);
    }

    @Override
    public void saveSettings(String accountId, SettingsChange change, ChangeEvent event) {
        settings.merge(accountId, AccountSettings.DEFAULTS.with(change), (old, ignored) -> old.with(change));
        committed(event);
    }

    @Override
    public Optional<ClientRecord> find(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    @Override
    public synchronized boolean replace(ClientRecord current, ClientRecord next, ChangeEvent event) {
        ClientRecord stored = clients.get(next.clientId());
        if (stored == null || stored.revision() != current.revision()) {
            return false;
        }
        clients.put(next.clientId(), next);
        committed(event);
        return true;
    }

    @Override
    public synchronized void add(String accountId, String keyId, Map<LocalDate, Counts> counts, Instant lastUsedAt,
                                 List<Denial> written) {
        StoredKey stored = find(accountId, keyId).orElse(null);
        if (stored == null) {
            return;
        }
        counts.forEach((day, c) -> usage.merge(accountId + "/" + keyId + "/" + day, c, Counts::plus));
        denials.computeIfAbsent(accountId + "/" + keyId, k -> new ArrayList<>()).addAll(written);
        if (lastUsedAt != null) {
            accounts.get(accountId).put(keyId, new StoredKey(stored.key().withLastUsedAt(lastUsedAt), stored.secretRef()));
        }
    }

    @Override
    public List<DailyUsage> days(String accountId, String keyId, LocalDate from, LocalDate to) {
        List<DailyUsage> days = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            Counts c = usage.get(accountId + "/" + keyId + "/" + day);
            if (c != null) {
                days.add(new DailyUsage(day, c.allowed(), c.denied(), c.deniedBy()));
            }
        }
        return days;
    }

    @Override
    public List<Denial> recentDenials(String accountId, String keyId, Instant since) {
        return denials.getOrDefault(accountId + "/" + keyId, List.of()).stream()
                .filter(d -> !d.at().isBefore(since))
                .sorted(Comparator.comparing(Denial::at).reversed())
                .limit(RECENT_DENIALS).toList();
    }

    @Override
    public void noteSecret(String accountId, String keyId, Instant at) {
        String id = noteId(accountId, keyId);
        Instant held = sweepClaims.get(id);
        if (held != null && held.isAfter(at)) {
            throw new DependencyUnavailableException("DynamoDB", null);
        }
        sweepClaims.remove(id);
        notes.put(id, new SecretNote(accountId, keyId, at));
    }

    @Override
    public boolean claimNote(SecretNote note, Instant now, Instant until) {
        String id = noteId(note.accountId(), note.keyId());
        SecretNote current = notes.get(id);
        Instant held = sweepClaims.get(id);
        if (current == null || !current.at().equals(note.at()) || (held != null && held.isAfter(now))) {
            return false;
        }
        sweepClaims.put(id, until);
        return true;
    }

    @Override
    public void forgetSecret(String accountId, String keyId) {
        notes.remove(noteId(accountId, keyId));
        sweepClaims.remove(noteId(accountId, keyId));
    }

    @Override
    public List<SecretNote> secretNotes(Instant before) {
        return notes.values().stream().filter(n -> n.at().isBefore(before)).toList();
    }
}
