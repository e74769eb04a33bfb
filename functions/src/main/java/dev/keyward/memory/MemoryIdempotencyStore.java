package dev.keyward.memory;

import dev.keyward.core.IdempotencyRecord;
import dev.keyward.core.IdempotencyStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link IdempotencyStore} in a map, with the DynamoDB one's conditions. */
public class MemoryIdempotencyStore implements IdempotencyStore {
    /** By "account\nkey". */
    protected final Map<String, IdempotencyRecord> records = new ConcurrentHashMap<>();

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
        return true;
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
        return true;
    }

    @Override
    public synchronized void complete(IdempotencyRecord record, IdempotencyRecord.Result result) {
        IdempotencyRecord stored = records.get(id(record.accountId(), record.key()));
        if (stored != null && stored.attempt() == record.attempt()) {
            records.put(id(record.accountId(), record.key()), new IdempotencyRecord(stored.accountId(), stored.key(),
                    stored.fingerprint(), stored.keyId(), stored.attempt(), stored.owner(), stored.leaseUntil(),
                    stored.expiresAt(), result));
        }
    }

    @Override
    public synchronized void release(IdempotencyRecord record) {
        IdempotencyRecord stored = records.get(id(record.accountId(), record.key()));
        if (stored != null && stored.attempt() == record.attempt() && stored.result() == null) {
            records.put(id(record.accountId(), record.key()), new IdempotencyRecord(stored.accountId(), stored.key(),
                    stored.fingerprint(), stored.keyId(), stored.attempt(), stored.owner(), Instant.EPOCH,
                    stored.expiresAt(), null));
        }
    }
}
