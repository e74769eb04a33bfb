package dev.keyward.core;

import dev.keyward.memory.MemoryKeyStore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The in-memory {@link KeyStore}, {@link ClientStore} and {@link UsageStore}, for unit tests of the use cases and
 * the verifier: it records the calls it gets, and fails, loses answers or runs what happens meanwhile on request.
 */
final class InMemoryKeyStore extends MemoryKeyStore {
    final Map<String, String> secretHashes = super.secretHashes;
    final Map<String, ClientRecord> clients = super.clients;
    final Map<String, SecretNote> notes = super.notes;
    final Map<String, Counts> usage = super.usage;
    /** Where the events of committed changes go, as DynamoDB's transactions put them in the audit partition. */
    final InMemoryAuditTrail audit;

    InMemoryKeyStore() {
        this(new InMemoryAuditTrail());
    }

    private InMemoryKeyStore(InMemoryAuditTrail audit) {
        super(audit);
        this.audit = audit;
    }
    final List<String> calls = new ArrayList<>();
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
    /** Makes the next {@link #find(String, String)} of this key id fail, for the sweep's per-key failure test. */
    volatile String failNextFindOf;
    /** Runs once, right after the next {@link #find(String, String)} read its answer: what happens meanwhile. */
    volatile Runnable afterNextFind;
    /** Runs once, right after the sweep claimed a note: what a request does between the claim and the destroy. */
    Runnable afterNextClaim;

    @Override
    public synchronized Insert insert(ApiKey key, String secretHash, String secretRef, int limit, ChangeEvent created) {
        if (failNextInsert != null) {
            RuntimeException failure = failNextInsert;
            failNextInsert = null;
            throw failure;
        }
        Insert insert = super.insert(key, secretHash, secretRef, limit, created);
        if (insert == Insert.SAVED && loseNextInsertAnswer != null) {
            RuntimeException lost = loseNextInsertAnswer;
            loseNextInsertAnswer = null;
            throw lost;
        }
        return insert;
    }

    @Override
    public Optional<StoredKey> find(String accountId, String keyId) {
        if (keyId.equals(failNextFindOf)) {
            failNextFindOf = null;
            throw new DependencyUnavailableException("DynamoDB", null);
        }
        Optional<StoredKey> found = super.find(accountId, keyId);
        Runnable meanwhile = afterNextFind;
        afterNextFind = null;
        if (meanwhile != null) {
            meanwhile.run();
        }
        return found;
    }

    @Override
    public synchronized boolean delete(StoredKey key, Instant at, List<ChangeEvent> events) {
        if (failDelete != null) {
            RuntimeException failure = failDelete;
            failDelete = null;
            throw failure;
        }
        boolean removed = super.delete(key, at, events);
        if (loseNextDeleteAnswer != null) {
            RuntimeException lost = loseNextDeleteAnswer;
            loseNextDeleteAnswer = null;
            throw lost;
        }
        return removed;
    }

    @Override
    public List<ExpiredKey> expiredKeys(Instant expiredBefore) {
        calls.add("expiredKeys " + expiredBefore);
        return super.expiredKeys(expiredBefore);
    }

    @Override
    public Optional<ClientRecord> find(String clientId) {
        calls.add("find " + clientId);
        return super.find(clientId);
    }

    @Override
    public synchronized boolean replace(ClientRecord previous, ClientRecord next, ChangeEvent event) {
        calls.add("replace rev " + next.revision());
        if (failReplaceAtRevision != null && next.revision() == failingRevision) {
            throw failReplaceAtRevision;
        }
        if (!super.replace(previous, next, event)) {
            return false;
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
    public synchronized void add(String accountId, String keyId, Map<LocalDate, Counts> counts, Instant lastUsedAt,
                                 List<Denial> denials) {
        calls.add("usage " + keyId);
        if (failRecordUse != null) {
            throw failRecordUse;
        }
        super.add(accountId, keyId, counts, lastUsedAt, denials);
    }

    @Override
    public boolean claimNote(SecretNote note, Instant now, Instant until) {
        if (!super.claimNote(note, now, until)) {
            return false;
        }
        Runnable after = afterNextClaim;
        afterNextClaim = null;
        if (after != null) {
            after.run();
        }
        return true;
    }
}
