package dev.keyward.core;

/**
 * The one way to do what must not fail a request that has otherwise succeeded or already failed:
 * recording an audit event after a change, releasing a lease, destroying an orphaned secret,
 * recording an idempotent answer. What fails is logged as a warning and attached to the
 * request's own failure, if it has one, so neither hides the other.
 */
final class BestEffort {
    private BestEffort() {
    }

    /**
     * @param event   the log line's event when {@code action} fails
     * @param primary the request's own failure, or null when it succeeded
     */
    static void run(EventLog log, String event, String accountId, String keyId, RuntimeException primary,
                    Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            if (primary != null && e != primary) {
                primary.addSuppressed(e);
            }
            log.warn(event, accountId, keyId, e);
        }
    }
}
