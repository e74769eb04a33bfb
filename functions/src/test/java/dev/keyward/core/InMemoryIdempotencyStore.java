package dev.keyward.core;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link IdempotencyStore} in a map with the same conditions as the DynamoDB one, for unit tests. */
final class InMemoryIdempotencyStore implements IdempotencyStore {
    final Map<String, IdempotencyRecord> records = new ConcurrentHashMap<>();
    /** The next create or take-over is applied but answers "refused", as the SDK's retry of it would. */
    boolean nextWriteAppliedButRefused;

    private static String id(String accountId, String key) {
        return accountId + "\n" + key;
    }

    @Override
    public synchronized boolean create(IdempotencyRecord record, Instant now) {
        IdempotencyRecord existing = records.get(id(record.accountId(), record.key()));
        if (existing != null && !existing.expiredAt(now)) {
            return false;
        }
        records.put(id(record.accountId(), record.key()), record);
        return answer();
    }

    private boolean answer() {
        boolean refused = nextWriteAppliedButRefused;
        nextWriteAppliedButRefused = false;
        return !refused;
    }

    @Override
    public Optional<IdempotencyRecord> find(String accountId, String key) {
        return Optional.ofNullable(records.get(id(accountId, key)));
    }

    @Override
    public synchronized boolean takeOver(IdempotencyRecord current, IdempotencyRecord next, Instant now) {
        IdempotencyRecord stored = records.get(id(current.accountId(), current.key()));
        if (stored == null || stored.attempt() != current.attempt() || stored.leaseUntil().isAfter(now)
                || stored.result() != null || stored.expiredAt(now)) {
            return false;
        }
        records.put(id(current.accountId(), current.key()), next);
        return answer();
    }

    /** The next complete fails: the request's work is done, its answer never recorded. */
    RuntimeException failNextComplete;

    @Override
    public synchronized void complete(IdempotencyRecord record, IdempotencyRecord.Result result) {
        if (failNextComplete != null) {
            RuntimeException failure = failNextComplete;
            failNextComplete = null;
            throw failure;
        }
        IdempotencyRecord stored = records.get(id(record.accountId(), record.key()));
        if (stored != null && stored.attempt() == record.attempt()) {
            records.put(id(record.accountId(), record.key()), new IdempotencyRecord(stored.accountId(), stored.key(),
                    stored.fingerprint(), stored.keyId(), stored.attempt(), stored.owner(), stored.leaseUntil(), stored.expiresAt(), result));
        }
    }

    @Override
    public synchronized void release(IdempotencyRecord record) {
        IdempotencyRecord stored = records.get(id(record.accountId(), record.key()));
        if (stored != null && stored.attempt() == record.attempt() && stored.result() == null) {
            records.put(id(record.accountId(), record.key()), new IdempotencyRecord(stored.accountId(), stored.key(),
                    stored.fingerprint(), stored.keyId(), stored.attempt(), stored.owner(), Instant.EPOCH, stored.expiresAt(), null));
        }
    }
}
