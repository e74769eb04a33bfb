package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.aws.Keyward;
import dev.keyward.core.KeyService;
import dev.keyward.core.KeyService.SweepReport;
import dev.keyward.http.JsonBodies;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs on a schedule: destroys secrets that belong to no key, and reports keys whose secret is
 * missing (see {@link KeyService#sweepOrphanSecrets}); answers
 * {@code {"destroyed": n, "failed": n, "keysWithoutSecret": n}}. The scheduled event itself
 * carries nothing it needs. Each run writes one CloudWatch embedded metric format line
 * (namespace {@value #NAMESPACE}); the template's alarm watches {@code KeysWithoutSecret}. A run
 * in which some note failed ends in an error after handling all the others, so Lambda retries
 * it and finally hands it to the on-failure destination.
 */
public final class SweepOrphanSecretsHandler implements RequestStreamHandler {
    /** Far longer than any create takes between storing the secret and saving the key. */
    static final Duration MIN_AGE = Duration.ofMinutes(15);
    static final String NAMESPACE = "Keyward";

    private final KeyService keys;
    private final PrintStream out;
    private final Clock clock;

    public SweepOrphanSecretsHandler() {
        this(Keyward.service());
    }

    public SweepOrphanSecretsHandler(KeyService keys) {
        this(keys, System.out, Clock.systemUTC());
    }

    SweepOrphanSecretsHandler(KeyService keys, PrintStream out, Clock clock) {
        this.keys = keys;
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        SweepReport report = keys.sweepOrphanSecrets(MIN_AGE);
        out.println(metricLine(report, clock.millis()));
        if (report.failed() > 0) {
            throw new SweepIncompleteException(report.failed());
        }
        output.write(JsonBodies.write(Map.of("destroyed", report.destroyed(), "failed", report.failed(),
                "keysWithoutSecret", report.secretsMissing())).getBytes(StandardCharsets.UTF_8));
    }

    /** One CloudWatch EMF line: the numbers as metrics, readable as a log line too. */
    static String metricLine(SweepReport report, long epochMillis) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("Namespace", NAMESPACE);
        metrics.put("Dimensions", List.of(List.of("Function")));
        metrics.put("Metrics", List.of(
                Map.of("Name", "OrphanSecretsDestroyed", "Unit", "Count"),
                Map.of("Name", "SweepFailures", "Unit", "Count"),
                Map.of("Name", "KeysWithoutSecret", "Unit", "Count")));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", Map.of("Timestamp", epochMillis, "CloudWatchMetrics", List.of(metrics)));
        line.put("level", report.failed() > 0 || report.secretsMissing() > 0 ? "WARN" : "INFO");
        line.put("event", "sweep_finished");
        line.put("Function", "SweepOrphanSecrets");
        line.put("OrphanSecretsDestroyed", report.destroyed());
        line.put("SweepFailures", report.failed());
        line.put("KeysWithoutSecret", report.secretsMissing());
        return JsonBodies.write(line);
    }

    /** Some notes could not be handled; they stay for the next run. */
    static final class SweepIncompleteException extends RuntimeException {
        SweepIncompleteException(int failed) {
            super(failed + " secret notes could not be swept; they are kept for the next run", null, false, false);
        }
    }
}
