package dev.keyward.core;

import java.util.ArrayList;
import java.util.List;

/** An {@link EventLog} that keeps what it was told. */
final class RecordingLog implements EventLog {
    final List<String> lines = new ArrayList<>();

    @Override
    public void info(String event, String accountId, String keyId) {
        lines.add("INFO " + event + " " + accountId + " " + keyId);
    }

    @Override
    public void warn(String event, String accountId, String keyId, Throwable cause) {
        lines.add("WARN " + event + " " + accountId + " " + keyId);
    }
}
