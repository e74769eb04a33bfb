package dev.keyward.bench;

import dev.keyward.aws.AwsClients;
import dev.keyward.aws.AwsClients.StartupLever;
import dev.keyward.runtime.AwsSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Each of the SDK's start-up levers ({@link StartupLever}) on its own: in a fresh JVM with
 * Lambda's flags, build both clients with the levers given, make one DynamoDB GetItem and one
 * Secrets Manager GetSecretValue against moto, and count the classes loaded by then
 * ({@code -Xlog:class+load}) and the process's CPU time. Classes are the figure to trust on a
 * busy machine: the same run loads the same classes whatever the load; CPU swings with it.
 */
public final class SdkLevers {
    static final String RESULT = "levers: ";
    private static final int RUNS = 3;

    private SdkLevers() {
    }

    /** The child: {@code <endpoint> <table> <lever,...|none>}; prints its CPU ms. */
    public static void main(String[] args) throws Exception {
        Set<StartupLever> levers = args[2].equals("none") ? EnumSet.noneOf(StartupLever.class)
                : Arrays.stream(args[2].split(",")).map(StartupLever::valueOf)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(StartupLever.class)));
        AwsSettings settings = new AwsSettings(Region.US_EAST_1, Optional.of(URI.create(args[0])),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")), args[1], 100, Optional.empty());
        try (AwsClients clients = new AwsClients(settings, List.of(), AwsClients.Timeouts.FUNCTIONS, levers)) {
            clients.dynamoDb().getItem(g -> g.tableName(args[1]).consistentRead(true).key(Map.of(
                    "pk", AttributeValue.fromS("ACCOUNT#bench-levers"), "sk", AttributeValue.fromS("KEY#none"))));
            try {
                clients.secretsManager().getSecretValue(g -> g.secretId("keyward/bench-levers/none"));
            } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException expected) {
                // answered
            }
            String[] stat = Files.readString(Path.of("/proc/self/stat")).split(" ");
            long ticks = Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
            System.out.println(RESULT + ticks * 10);
        }
    }

    /** Runs every variant {@link #RUNS} times on {@code java}, and reports a line per lever. */
    static String report(Path java, List<String> jvmFlags, String classpath, URI moto, String table, Path work)
            throws Exception {
        Map<String, Set<StartupLever>> variants = new LinkedHashMap<>();
        variants.put("every lever kept (the functions)", AwsClients.KEPT);
        for (StartupLever lever : StartupLever.values()) {
            Set<StartupLever> toggled = EnumSet.noneOf(StartupLever.class);
            toggled.addAll(AwsClients.KEPT);
            if (toggled.remove(lever)) {
                variants.put("without " + lever + " (kept)", toggled);
            } else {
                toggled.add(lever);
                variants.put("with " + lever + " (left out)", toggled);
            }
        }
        // the SDK's defaults; while no lever is kept, the functions' setting measured twice: the spread
        variants.put(AwsClients.KEPT.isEmpty() ? "none, again (run-to-run spread)" : "none (the SDK's defaults)",
                EnumSet.noneOf(StartupLever.class));
        Map<String, List<long[]>> samples = new LinkedHashMap<>();
        variants.keySet().forEach(v -> samples.put(v, new ArrayList<>()));
        for (int run = 0; run < RUNS; run++) {
            for (Map.Entry<String, Set<StartupLever>> variant : variants.entrySet()) { // interleaved
                samples.get(variant.getKey()).add(once(java, jvmFlags, classpath, moto, table, variant.getValue(), work));
            }
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nSDK levers (fresh JVM, Lambda's flags: build both"
                + " clients, one GetItem and one GetSecretValue against moto; %d runs; classes are exact, CPU swings with"
                + " the machine's load):%n", RUNS));
        long[] kept = medians(samples.get("every lever kept (the functions)"));
        for (Map.Entry<String, List<long[]>> variant : samples.entrySet()) {
            long[] m = medians(variant.getValue());
            out.append(String.format(Locale.ROOT, "  %-40s classes %5d (%+5d)  CPU ms %5d (%+5d)%n", variant.getKey(),
                    m[0], m[0] - kept[0], m[1], m[1] - kept[1]));
        }
        return out.toString();
    }

    private static long[] medians(List<long[]> runs) {
        long[] classes = runs.stream().mapToLong(r -> r[0]).sorted().toArray();
        long[] cpu = runs.stream().mapToLong(r -> r[1]).sorted().toArray();
        return new long[]{classes[classes.length / 2], cpu[cpu.length / 2]};
    }

    private static long[] once(Path java, List<String> jvmFlags, String classpath, URI moto, String table,
                               Set<StartupLever> levers, Path work) throws Exception {
        Path log = work.resolve("levers-classes.log");
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmFlags);
        command.add("-Xlog:class+load=info:file=" + log);
        command.addAll(List.of("-cp", classpath, SdkLevers.class.getName(), moto.toString(), table,
                levers.isEmpty() ? "none" : levers.stream().map(Enum::name).collect(Collectors.joining(","))));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (child.waitFor() != 0 || !out.contains(RESULT)) {
            throw new IllegalStateException("the SDK levers probe failed: " + out);
        }
        long cpu = Long.parseLong(out.substring(out.indexOf(RESULT) + RESULT.length()).trim().split("\\s")[0]);
        long classes;
        try (var lines = Files.lines(log)) {
            classes = lines.count();
        }
        return new long[]{classes, cpu};
    }
}
