package dev.keyward.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link KeyStore}, {@link ClientStore} and {@link UsageStore} in maps, for unit tests of the service and the
 * verifier. Like the DynamoDB one, it keeps a key and its client together.
 */
final class InMemoryKeyStore implements KeyStore, ClientStore, UsageStore {
    final Map<String, TreeMap<String, StoredKey>> accounts = new ConcurrentHashMap<>();
    final Map<String, String> secretHashes = new ConcurrentHashMap<>();
    final Map<String, ClientRecord> clients = new ConcurrentHashMap<>();
    final List<String> calls = new ArrayList<>();
    final Map<String, SecretNote> notes = new ConcurrentHashMap<>();
    final Map<String, Counts> usage = new ConcurrentHashMap<>();
    RuntimeException failNextInsert;
    /** Thrown by the next insert after it was applied: an answer lost on the way back. */
    RuntimeException loseNextInsertAnswer;
    RuntimeException failDelete;
    /** Thrown by the next delete after it was applied. */
    RuntimeException loseNextDeleteAnswer;
    /** Thrown by the next {@link #replace} with the matching revision, for ordering tests. */
    RuntimeException failReplaceAtRevision;
    long failingRevision = -1;
    /** Thrown by the replace to {@link #losingRevision} after it was applied. */
    RuntimeException loseReplaceAnswer;
    long losingRevision = -1;
    /** The replace to this revision is applied but answers "condition failed". */
    long appliedButRefusedRevision = -1;
    RuntimeException failRecordUse;
    /** Where the events of committed changes go, as DynamoDB's transactions put them in the audit partition. */
    final InMemoryAuditTrail audit = new InMemoryAuditTrail();

    @Override
    public synchronized Insert insert(ApiKey key, String secretHash, String secretRef, int limit, ChangeEvent created) {
        if (failNextInsert != null) {
            RuntimeException failure = failNextInsert;
            failNextInsert = null;
            throw failure;
        }
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
                List.of(), 0, null, key.expiresAt(), key.scopes()));
        notes.remove(key.accountId() + "#" + key.id());
        audit.committed(created);
        if (loseNextInsertAnswer != null) {
            RuntimeException lost = loseNextInsertAnswer;
            loseNextInsertAnswer = null;
            throw lost;
        }
        return Insert.SAVED;
    }

    /** Makes the next {@link #find(String, String)} of this key id fail, for the sweep's per-key failure test. */
    volatile String failNextFindOf;

    /** Runs once, right after the next {@link #find(String, String)} read its answer: what happens meanwhile. */
    volatile Runnable afterNextFind;

    @Override
    public Optional<StoredKey> find(String accountId, String keyId) {
        if (keyId.equals(failNextFindOf)) {
            failNextFindOf = null;
            throw new DependencyUnavailableException("DynamoDB", null);
        }
        Optional<StoredKey> found = Optional.ofNullable(accounts.getOrDefault(accountId, new TreeMap<>()).get(keyId));
        Runnable meanwhile = afterNextFind;
        afterNextFind = null;
        if (meanwhile != null) {
            meanwhile.run();
        }
        return found;
    }

    @Override
    public synchronized Optional<ApiKey> rename(String accountId, String keyId, String name, ChangeEvent event) {
        StoredKey stored = accounts.getOrDefault(accountId, new TreeMap<>()).get(keyId);
        if (stored == null) {
            return Optional.empty();
        }
        ApiKey renamed = stored.key().withName(name);
        accounts.get(accountId).put(keyId, new StoredKey(renamed, stored.secretRef()));
        audit.committed(event);
        return Optional.of(renamed);
    }

    @Override
    public synchronized Optional<ApiKey> update(String accountId, String keyId, KeyUpdate update, ChangeEvent event) {
        StoredKey stored = accounts.getOrDefault(accountId, new TreeMap<>()).get(keyId);
        if (stored == null) {
            return Optional.empty();
        }
        ApiKey updated = stored.key().with(update);
        accounts.get(accountId).put(keyId, new StoredKey(updated, stored.secretRef()));
        ClientRecord c = clients.get(updated.clientId());
        clients.put(c.clientId(), new ClientRecord(c.clientId(), c.accountId(), c.keyId(), c.secretHash(), c.others(),
                c.revision(), c.rotationLeaseUntil(), updated.expiresAt(), updated.scopes()));
        audit.committed(event);
        return Optional.of(updated);
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
    public synchronized boolean delete(StoredKey key, java.time.Instant at, List<ChangeEvent> events) {
        if (failDelete != null) {
            RuntimeException failure = failDelete;
            failDelete = null;
            throw failure;
        }
        String accountId = key.key().accountId();
        String keyId = key.key().id();
        StoredKey removed = accounts.getOrDefault(accountId, new TreeMap<>()).remove(keyId);
        if (removed != null) {
            secretHashes.remove(removed.key().clientId());
            clients.remove(removed.key().clientId());
            noteSecret(accountId, keyId, at);
            events.forEach(audit::committed);
        }
        if (loseNextDeleteAnswer != null) {
            RuntimeException lost = loseNextDeleteAnswer;
            loseNextDeleteAnswer = null;
            throw lost;
        }
        return removed != null;
    }

    final Map<String, AccountSettings> settings = new ConcurrentHashMap<>();

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
        calls.add("expiredKeys " + expiredBefore);
        return accounts.values().stream().flatMap(keys -> keys.values().stream()).map(StoredKey::key)
                .filter(k -> k.expiresAt() != null && k.expiresAt().isBefore(expiredBefore))
                .map(k -> new ExpiredKey(k.accountId(), k.id(), k.expiresAt())).toList();
    }

    @Override
    public AccountSettings settings(String accountId) {
        return settings.getOrDefault(accountId, AccountSettings.DEFAULTS);
    }

    @Override
    public void saveExpiredKeyRetention(String accountId, Integer days, ChangeEvent event) {
        settings.put(accountId, new AccountSettings(days));
        audit.committed(event);
    }

    @Override
    public Optional<ClientRecord> find(String clientId) {
        calls.add("find " + clientId);
        return Optional.ofNullable(clients.get(clientId));
    }

    @Override
    public synchronized boolean replace(ClientRecord previous, ClientRecord next, ChangeEvent event) {
        long expectedRevision = previous.revision();
        calls.add("replace rev " + next.revision());
        if (failReplaceAtRevision != null && next.revision() == failingRevision) {
            throw failReplaceAtRevision;
        }
        ClientRecord current = clients.get(next.clientId());
        if (current == null || current.revision() != expectedRevision) {
            return false;
        }
        clients.put(next.clientId(), next);
        if (event != null) {
            audit.committed(event);
        }
        if (next.revision() == appliedButRefusedRevision) {
            return false; // the SDK's retry of an applied write, refused by its own condition
        }
        if (loseReplaceAnswer != null && next.revision() == losingRevision) {
            throw loseReplaceAnswer;
        }
        return true;
    }

    @Override
    public synchronized void add(String accountId, String keyId, Map<java.time.LocalDate, Counts> counts, Instant lastUsedAt) {
        calls.add("usage " + keyId);
        if (failRecordUse != null) {
            throw failRecordUse;
        }
        StoredKey stored = find(accountId, keyId).orElse(null);
        if (stored == null) {
            return;
        }
        counts.forEach((day, c) -> usage.merge(accountId + "/" + keyId + "/" + day, c, Counts::plus));
        if (lastUsedAt != null) {
            ApiKey k = stored.key();
            accounts.get(accountId).put(keyId, new StoredKey(
                    k.withLastUsedAt(lastUsedAt),
                    stored.secretRef()));
        }
    }

    @Override
    public List<DailyUsage> days(String accountId, String keyId, java.time.LocalDate from, java.time.LocalDate to) {
        List<DailyUsage> days = new ArrayList<>();
        for (java.time.LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            Counts c = usage.get(accountId + "/" + keyId + "/" + day);
            if (c != null) {
                days.add(new DailyUsage(day, c.allowed(), c.denied()));
            }
        }
        return days;
    }

    @Override
    public void noteSecret(String accountId, String keyId, java.time.Instant at) {
        java.time.Instant held = sweepClaims.get(accountId + "#" + keyId);
        if (held != null && held.isAfter(at)) {
            throw new DependencyUnavailableException("DynamoDB", null);
        }
        sweepClaims.remove(accountId + "#" + keyId);
        notes.put(accountId + "#" + keyId, new SecretNote(accountId, keyId, at));
    }

    /** Until when the sweep holds each note it claimed. */
    private final Map<String, java.time.Instant> sweepClaims = new java.util.concurrent.ConcurrentHashMap<>();

    /** Runs once, right after the sweep claimed a note: what a request does between the claim and the destroy. */
    public Runnable afterNextClaim;

    @Override
    public boolean claimNote(SecretNote note, java.time.Instant now, java.time.Instant until) {
        String id = note.accountId() + "#" + note.keyId();
        SecretNote current = notes.get(id);
        java.time.Instant held = sweepClaims.get(id);
        if (current == null || !current.at().equals(note.at()) || (held != null && held.isAfter(now))) {
            return false;
        }
        sweepClaims.put(id, until);
        Runnable after = afterNextClaim;
        afterNextClaim = null;
        if (after != null) {
            after.run();
        }
        return true;
    }

    @Override
    public void forgetSecret(String accountId, String keyId) {
        notes.remove(accountId + "#" + keyId);
        sweepClaims.remove(accountId + "#" + keyId);
    }

    @Override
    public List<SecretNote> secretNotes(java.time.Instant before) {
        return notes.values().stream().filter(n -> n.at().isBefore(before)).toList();
    }
}
