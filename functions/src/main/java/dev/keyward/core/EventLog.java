package dev.keyward.core;

/**
 * Where the service reports what it did. Entries carry ids only: never a name, a secret or an
 * exception message that could hold one.
 */
public interface EventLog {
    void info(String event, String accountId, String keyId);

    void warn(String event, String accountId, String keyId, Throwable cause);

    EventLog NONE = new EventLog() {
        @Override
        public void info(String event, String accountId, String keyId) {
        }

        @Override
        public void warn(String event, String accountId, String keyId, Throwable cause) {
        }
    };
}
