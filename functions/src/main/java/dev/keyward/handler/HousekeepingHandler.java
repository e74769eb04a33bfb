package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.DependencyUnavailableException;
import dev.keyward.core.Housekeeping;
import dev.keyward.core.Housekeeping.SweepReport;
import dev.keyward.core.KeyPorts;
import dev.keyward.http.JsonBodies;
import dev.keyward.telemetry.Invocation;
import dev.keyward.telemetry.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs on a schedule: destroys secrets that belong to no key, and reports keys whose secret is
 * missing (see {@link Housekeeping#sweepOrphanSecrets}); then deletes the keys that have been
 * expired for longer than their account keeps them (see {@link Housekeeping#deleteExpiredKeys});
 * then announces the keys about to expire and those that have (see {@link Housekeeping#announceExpiries});
 * answers {@code {"destroyed": n, "failed": n, "keysWithoutSecret": n, "expiredDeleted": n, "expiryEvents": n}}.
 * The scheduled event itself carries nothing it needs. Each note's outcome is a log line and a
 * metric of its own (orphan_secret_swept, sweep_note_failed, secret_missing); each run ends with
 * sweep_finished (the SweepRuns metric the template's alarm waits for) or sweep_failed. A run in
 * which some note failed ends in an error after handling all the others, so Lambda retries it
 * and finally hands it to the on-failure destination.
 */
public final class HousekeepingHandler implements RequestStreamHandler {
    /** Far longer than any create takes between storing the secret and saving the key. */
    static final Duration MIN_AGE = Duration.ofMinutes(15);

    private final Housekeeping housekeeping;

    /** The function Lambda builds. */
    public HousekeepingHandler() {
        this(Keyward.start(Functions.HOUSEKEEPING).ports());
    }

    public HousekeepingHandler(KeyPorts ports) {
        this.housekeeping = new Housekeeping(ports);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Swept swept = Invocation.during(context, null, this::sweep);
        SweepReport report = swept.report();
        int expiredDeleted = swept.expiredDeleted();
        output.write(JsonBodies.write(Map.of("destroyed", report.destroyed(), "failed", report.failed(),
                "keysWithoutSecret", report.secretsMissing(), "expiredDeleted", expiredDeleted,
                "expiryEvents", swept.expiryEvents()))
                .getBytes(StandardCharsets.UTF_8));
    }

    private Swept sweep() {
        SweepReport report;
        try {
            report = housekeeping.sweepOrphanSecrets(MIN_AGE);
        } catch (DependencyUnavailableException e) {
            // the invocation fails (Lambda retries it); the line is the alarm's metric
            Log.warn("sweep_failed", Map.of(), e);
            throw e;
        } catch (RuntimeException e) {
            Log.error("sweep_failed", Map.of(), e);
            throw e;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("destroyed", report.destroyed());
        fields.put("failed", report.failed());
        fields.put("keysWithoutSecret", report.secretsMissing());
        if (report.failed() > 0 || report.secretsMissing() > 0) {
            Log.warn("sweep_finished", fields, null);
        } else {
            Log.info("sweep_finished", fields);
        }
        int expiredDeleted = housekeeping.deleteExpiredKeys(); // a key that fails is logged and left for the next run
        int expiryEvents = housekeeping.announceExpiries(); // likewise
        if (report.failed() > 0) {
            throw new SweepIncompleteException(report.failed());
        }
        return new Swept(report, expiredDeleted, expiryEvents);
    }

    private record Swept(SweepReport report, int expiredDeleted, int expiryEvents) {
    }

    /** Some notes could not be handled; they stay for the next run. */
    static final class SweepIncompleteException extends RuntimeException {
        SweepIncompleteException(int failed) {
            super(failed + " secret notes could not be swept; they are kept for the next run", null, false, false);
        }
    }
}
