package dev.keyward.it;

import java.util.concurrent.TimeUnit;

/** Stopping the servers the tests start: politely first, then for sure. */
final class Processes {
    private Processes() {
    }

    /** Asks {@code process} to end, waits up to 10 s, then kills it; returns once it has ended. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
