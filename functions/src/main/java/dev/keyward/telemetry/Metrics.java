package dev.keyward.telemetry;

import dev.keyward.core.DependencyUnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CloudWatch metrics that log events stand for, embedded in the event's own log line in the
 * Embedded Metric Format: CloudWatch Logs turns the line into the metric, so no call, no client
 * and no extra line is needed. Every metric is published without dimensions (what the alarms in
 * infra/template.yaml watch) and, where it has them, by its dimensions too (which reason, which
 * code, which dependency). The namespace is {@code METRICS_NAMESPACE} (the template sets
 * {@code Keyward/{stack}}), else {@code Keyward}.
 */
final class Metrics {
    static final String NAMESPACE = namespace();

    /** One count of {@code value} for metric {@code name}, with its dimensions. */
    record Metric(String name, Map<String, String> dimensions, long value) {
    }

    private Metrics() {
    }

    /** The metrics a log event stands for; none for most events. */
    static List<Metric> of(String event, Map<String, ?> fields, Throwable cause) {
        List<Metric> metrics = new ArrayList<>();
        switch (event) {
            case "key_created" -> metrics.add(count("KeysCreated"));
            case "key_deleted" -> metrics.add(count("KeysDeleted"));
            case "key_rotated" -> metrics.add(count("KeysRotated"));
            case "key_renamed" -> metrics.add(count("KeysRenamed"));
            case "secret_viewed" -> metrics.add(count("SecretViews"));
            case "secret_missing" -> metrics.add(count("KeysWithoutSecret"));
            case "auth_allowed" -> metrics.add(decision("allow", "valid"));
            case "auth_no_credentials" -> metrics.add(decision("unauthorized", "no_credentials"));
            case "auth_denied_malformed" -> metrics.add(decision("deny", "malformed"));
            case "auth_denied_unknown_client" -> metrics.add(decision("deny", "unknown_client"));
            case "auth_denied_wrong_secret" -> metrics.add(decision("deny", "wrong_secret"));
            case "authorizer_failed" -> metrics.add(decision("error", "failure"));
            case "request_failed" -> metrics.add(new Metric("ServerErrors",
                    Map.of("Code", String.valueOf(fields.get("code"))), 1));
            case "orphan_secret_swept" -> metrics.add(count("OrphanSecretsDestroyed"));
            case "sweep_note_failed", "sweep_failed" -> metrics.add(count("SweepFailures"));
            case "sweep_finished" -> metrics.add(count("SweepRuns"));
            default -> {
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DependencyUnavailableException unavailable) {
                metrics.add(new Metric("DependencyErrors", Map.of("Dependency", unavailable.dependency()), 1));
                break;
            }
        }
        return metrics;
    }

    /** Adds the metrics to the line: their values and dimensions as fields, and the {@code _aws} directive. */
    static void embed(Map<String, Object> line, List<Metric> metrics, long timestampMillis) {
        if (metrics.isEmpty()) {
            return;
        }
        List<Object> directives = new ArrayList<>();
        for (Metric metric : metrics) {
            List<List<String>> dimensionSets = new ArrayList<>();
            dimensionSets.add(List.of());
            if (!metric.dimensions().isEmpty()) {
                dimensionSets.add(List.copyOf(metric.dimensions().keySet()));
            }
            Map<String, Object> directive = new LinkedHashMap<>();
            directive.put("Namespace", NAMESPACE);
            directive.put("Dimensions", dimensionSets);
            directive.put("Metrics", List.of(Map.of("Name", metric.name(), "Unit", "Count")));
            directives.add(directive);
            line.putAll(metric.dimensions());
            line.put(metric.name(), metric.value());
        }
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", timestampMillis);
        aws.put("CloudWatchMetrics", directives);
        line.put("_aws", aws);
    }

    private static Metric count(String name) {
        return new Metric(name, Map.of(), 1);
    }

    private static Metric decision(String decision, String reason) {
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put("Decision", decision);
        dimensions.put("Reason", reason);
        return new Metric("AuthorizerDecisions", dimensions, 1);
    }

    private static String namespace() {
        String configured = System.getenv("METRICS_NAMESPACE");
        return configured == null || configured.isBlank() ? "Keyward" : configured;
    }
}
