package dev.keyward.core;

import dev.keyward.memory.MemoryIdempotencyStore;
import java.time.Instant;
import java.util.Map;

/** The in-memory {@link IdempotencyStore}, applying writes it reports refused and failing on request, for unit tests. */
final class InMemoryIdempotencyStore extends MemoryIdempotencyStore {
    final Map<String, IdempotencyRecord> records = super.records;
    /** The next create or take-over is applied but answers "refused", as the SDK's retry of it would. */
    boolean nextWriteAppliedButRefused;
    /** The next complete fails: the request's work is done, its answer never recorded. */
    RuntimeException failNextComplete;

    @Override
    public synchronized boolean create(IdempotencyRecord record, Instant now) {
        return super.create(record, now) && answer();
    }

    @Override
    public synchronized boolean takeOver(IdempotencyRecord current, IdempotencyRecord next, Instant now) {
        return super.takeOver(current, next, now) && answer();
    }

    private boolean answer() {
        boolean refused = nextWriteAppliedButRefused;
        nextWriteAppliedButRefused = false;
        return !refused;
    }

    @Override
    public synchronized void complete(IdempotencyRecord record, IdempotencyRecord.Result result) {
        if (failNextComplete != null) {
            RuntimeException failure = failNextComplete;
            failNextComplete = null;
            throw failure;
        }
        super.complete(record, result);
    }
}
