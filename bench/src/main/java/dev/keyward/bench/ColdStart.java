package dev.keyward.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.aws.AwsClients;
import dev.keyward.runtime.AwsSettings;
import dev.keyward.runtime.Keyward;
import dev.keyward.aws.KeysTable;
import dev.keyward.core.KeyCreation;
import dev.keyward.core.NewKey;
import dev.keyward.core.KeyWithSecret;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Cold starts measured the way Lambda starts a Java function: for every invocation a fresh Runtime
 * Interface Emulator, which launches a fresh JVM with the managed Java runtime's flags running the
 * Java Runtime Interface Client over the function's jar unpacked as the task root; one invocation
 * per JVM, against moto. Cases run interleaved, round after round, so the machine's load falls on
 * all of them alike. Also: the SnapStart mode (init, the registered CRaC hooks, then the first
 * request against the warm median) and the warm handler overhead. Run by {@code make bench-cold}
 * (bench/cold-start.sh); prints numbers and never fails on them.
 */
public final class ColdStart {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MEMORY_MB = 1024;
    private static final String REGION = "us-east-1";
    private static final String TABLE = "keyward-bench";
    /** JVMs per function in SnapStart mode; as many as rounds when fewer (the short mode: one). */
    private static final int SNAPSTART_RUNS = 3;
    private static final String BEFORE_COMMIT = System.getenv().getOrDefault("BEFORE_COMMIT", "89232c7");
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    private final Path root;
    private final String routeScopes;
    private final Path work;
    private final Path java;
    private final String jdkName;
    private final int rounds;
    private final URI moto;
    private final Path rie;
    private final Path jni;
    private final String runtimeClasspath;
    private int retries;
    /** JVM flags added to the SnapStart probe's only (PROBE_FLAGS), e.g. to log what the JIT compiles. */
    private final List<String> probeFlags;

    private ColdStart(Path root, Path work, Path java, int rounds, URI moto, List<String> probeFlags)
            throws IOException, InterruptedException {
        this.root = root;
        this.probeFlags = probeFlags;
        this.routeScopes = routeScopes(root.resolve("infra/template.yaml"));
        this.work = work;
        this.java = java;
        this.rounds = rounds;
        this.moto = moto;
        this.rie = root.resolve("bench/target/bin/aws-lambda-rie");
        Path runtime = root.resolve("bench/target/runtime");
        try (Stream<Path> jars = Files.list(runtime)) {
            this.runtimeClasspath = String.join(":", jars.map(Path::toString).filter(p -> p.endsWith(".jar")).sorted().toList());
        }
        this.jni = extractJni(runtime, work);
        this.jdkName = javaVersion(java);
    }

    /** One function (or baseline) and the event it is invoked with. */
    private record Case(String name, Path taskRoot, String handler, IntFunction<byte[]> event, Predicate<JsonNode> ok,
                        List<String> jvmFlags, String eventType) {
        Case(String name, Path taskRoot, String handler, IntFunction<byte[]> event, Predicate<JsonNode> ok) {
            this(name, taskRoot, handler, event, ok, List.of(), null);
        }

        Case(String name, Path taskRoot, String handler, IntFunction<byte[]> event, Predicate<JsonNode> ok,
             List<String> jvmFlags) {
            this(name, taskRoot, handler, event, ok, jvmFlags, null);
        }

        /** The "before" jar's handlers take event objects. */
        Case before(String eventType) {
            return new Case("before: " + name, taskRoot, handler, event, ok, jvmFlags, eventType);
        }

        boolean snapStart() {
            return !name.contains("no-op") && !name.contains("usual") && !name.contains("AppCDS");
        }
    }

    /** One cold invocation: wall and CPU time from the JVM's launch to the response, classes loaded by then. */
    private record Sample(double wallMs, double cpuMs, long classes) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "15"));
        List<Path> javas = Arrays.stream(options.getOrDefault("java", "java").split(",")).map(Path::of).toList();
        boolean classLog = Boolean.parseBoolean(options.getOrDefault("class-log", "false"));
        boolean quick = Boolean.parseBoolean(options.getOrDefault("quick", "false"));
        List<String> only = Arrays.stream(options.getOrDefault("only", "").split(",")).map(String::trim)
                .filter(n -> !n.isEmpty()).toList();
        List<String> probeFlags = Arrays.stream(options.getOrDefault("probe-flags", "").split(" "))
                .filter(f -> !f.isBlank()).toList();
        try (Moto server = Moto.start(root, root.resolve("bench/target/moto.log"))) {
            AwsSettings settings = new AwsSettings(Region.of(REGION), Optional.of(server.endpoint()),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")), TABLE, 100_000,
                    Optional.empty());
            try (AwsClients clients = new AwsClients(settings)) {
                KeysTable.createIfMissing(clients.dynamoDb(), TABLE);
                KeyCreation creation = new KeyCreation(Keyward.ports(settings, clients, Clock.systemUTC()));
                for (Path java : javas) {
                    Path work = root.resolve("bench/target/cold").resolve(java.getParent() == null ? "java"
                            : java.getParent().getParent().getFileName().toString());
                    Files.createDirectories(work);
                    new ColdStart(root, work, java, rounds, server.endpoint(), probeFlags).run(creation, classLog, quick, only);
                }
            }
        }
    }

    /**
     * @param quick without the "before" and AppCDS cases: for measuring one change at a time
     * @param only the functions to measure (all when empty), without the baselines and the levers
     */
    private void run(KeyCreation creation, boolean classLog, boolean quick, List<String> only) throws Exception {
        Path functionJar = root.resolve("functions/target/keyward-functions.jar");
        Path beforeJar = root.resolve("bench/target/before/keyward-functions.jar");
        Path after = unpack(functionJar, work.resolve("task-keyward"));
        Path before = Files.exists(beforeJar) && !quick ? unpack(beforeJar, work.resolve("task-before")) : null;
        Path noopStream = baselineRoot("task-noop-stream", jar -> jar.startsWith("aws-lambda-java-core-"));
        Path noopEvent = baselineRoot("task-noop-event",
                jar -> jar.startsWith("aws-lambda-java-core-") || jar.startsWith("aws-lambda-java-events-")
                        || jar.startsWith("joda-time-"));
        Path usual = baselineRoot("task-usual", jar -> true);

        // the key the read and verify cases work on; each delete event deletes a key made for it
        KeyWithSecret shared = creation.create("bench-shared", NewKey.named("Bench key"), "bench");
        String basic = "Basic " + Base64.getEncoder().encodeToString((shared.key().clientId() + ":" + shared.clientSecret())
                .getBytes(StandardCharsets.UTF_8));

        Predicate<JsonNode> created = status(201);
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("no-op RequestStreamHandler", noopStream, "dev.keyward.bench.baseline.NoopStreamHandler",
                r -> event("get-key.json", "bench-shared", shared.key().id(), null), status(200)));
        cases.add(new Case("no-op RequestHandler<APIGatewayProxyRequestEvent>", noopEvent,
                "dev.keyward.bench.baseline.NoopEventHandler",
                r -> event("get-key.json", "bench-shared", shared.key().id(), null), status(200)));
        cases.add(new Case("the usual way: create", usual, "dev.keyward.bench.baseline.UsualCreateHandler",
                r -> event("create-key.json", "bench-usual-" + r, null, "{\"name\":\"Bench key\"}"), created));
        cases.add(new Case("create", after, "dev.keyward.handler.CreateKeyHandler",
                r -> event("create-key.json", "bench-create-" + r, null, "{\"name\":\"Bench key\"}"), created));
        cases.add(new Case("get", after, "dev.keyward.handler.GetKeyHandler",
                r -> event("get-key.json", "bench-shared", shared.key().id(), null), status(200)));
        cases.add(new Case("list", after, "dev.keyward.handler.ListKeysHandler",
                r -> event("list-keys.json", "bench-shared", null, null), status(200)));
        cases.add(new Case("delete", after, "dev.keyward.handler.DeleteKeyHandler",
                r -> event("delete-key.json", "bench-doomed",
                        creation.create("bench-doomed", NewKey.named("Bench key " + r), "bench").key().id(), null),
                status(204)));
        cases.add(new Case("authorizer", after, "dev.keyward.handler.AuthorizerHandler",
                r -> authorizerEvent(basic), ColdStart::allows));
        if (before != null) {
            String proxy = "com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent";
            for (Case c : List.copyOf(cases)) {
                // not the authorizer: main at that commit reads an older Client ID format
                if (List.of("create", "get", "list").contains(c.name())) {
                    cases.add(new Case(c.name(), before, c.handler(), c.name().equals("create")
                            ? r -> event("create-key.json", "bench-before-" + r, null, "{\"name\":\"Bench key\"}")
                            : c.event(), c.ok()).before(proxy));
                }
            }
        }

        if (!only.isEmpty()) {
            cases.removeIf(c -> !only.contains(c.name()));
            if (cases.isEmpty()) {
                throw new IllegalArgumentException("ONLY names none of the functions: " + only);
            }
        }

        // The same jar as a .zip deployment lays it out (lib/keyward-functions.jar), with an AppCDS
        // archive of the classes a first request loads, dumped by a training run on this very JVM.
        Path cdsRoot = jarRoot("task-keyward-cds", functionJar);
        for (String function : quick || !only.isEmpty() ? List.<String>of() : List.of("create", "authorizer")) {
            Case plain = cases.stream().filter(c -> c.name().equals(function)).findFirst().orElseThrow();
            Path archive = cdsRoot.resolve(function + ".jsa");
            Case training = new Case(function + " (training)", cdsRoot, plain.handler(), plain.event(), plain.ok(),
                    List.of("-XX:ArchiveClassesAtExit=" + archive));
            invokeCold(training, rounds + 5, null, true);
            if (Files.exists(archive)) {
                IntFunction<byte[]> event = plain.event();
                cases.add(new Case(function + ", AppCDS archive", cdsRoot, plain.handler(), r -> event.apply(r + 500), plain.ok(),
                        List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off")));
            } else {
                System.err.println("  no AppCDS archive was dumped for " + function + "; see " + work);
            }
        }

        LoadMeter load = new LoadMeter();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        cases.forEach(c -> samples.put(c.name(), new ArrayList<>()));
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get((i + r) % cases.size()); // each round starts one case later
                samples.get(c.name()).add(invokeRetryingBusyEmulator(c, r));
            }
            System.err.printf("  %s: round %d/%d done%n", jdkName, r + 1, rounds);
        }
        List<String> snapStart = new ArrayList<>();
        StringBuilder firstRequests = new StringBuilder();
        for (Case c : cases) {
            if (c.snapStart()) {
                snapStart.add(snapStart(c, classLog));
                if (classLog) {
                    firstRequests.append(ClassLog.firstRequest(c.name(),
                            work.resolve("snapstart-classes-" + fileName(c.name()) + ".log"), 25));
                }
            }
        }
        String levers = !only.isEmpty() ? "" : SdkLevers.report(java, lambdaJvmFlags(), functionJar + ":" + root.resolve("bench/target/classes"),
                moto, TABLE, work);
        String machine = load.finish();
        String table = report(cases, samples, snapStart, machine)
                + (classLog ? String.format("%nWhat priming left to the first request after restore (SnapStart mode's first run):%n")
                + firstRequests : "") + levers;
        System.out.println(table);
        Files.writeString(work.resolve("report.txt"), table);
        if (classLog) {
            for (Case c : cases) {
                Path log = work.resolve("classes-" + fileName(c.name()) + ".log");
                invokeCold(c, rounds + 1, log, false);
                System.out.println(ClassLog.summary(c.name(), log));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // one cold invocation

    private List<String> lambdaJvmFlags() {
        // What Lambda's managed Java runtimes (java17, java21) start the JVM with, less the log4j
        // hot-patch agent; the task root is the working directory and on the customer class path.
        return List.of(
                "-XX:MaxHeapSize=" + (MEMORY_MB * 85 / 100) + "m",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
                "-Djava.net.preferIPv4Stack=true",
                "-XX:+ErrorFileToStderr",
                "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + jni);
    }

    /**
     * The default of template.yaml's RouteScopes parameter: the authorizer refuses to start
     * without ROUTE_SCOPES, as it does when deployed without it.
     */
    static String routeScopes(Path template) throws IOException {
        Matcher matcher = Pattern
                .compile("(?m)^  RouteScopes:\\n(?:    .*\\n)*?    Default: '([^']*)'")
                .matcher(Files.readString(template));
        if (!matcher.find()) {
            throw new IllegalStateException(template + " has no RouteScopes parameter with a Default");
        }
        return matcher.group(1);
    }

    private Map<String, String> functionEnvironment(Case c) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("LAMBDA_TASK_ROOT", c.taskRoot().toString());
        env.put("_HANDLER", c.handler() + "::handleRequest");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "bench");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(MEMORY_MB));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", "30");
        env.put("AWS_REGION", REGION);
        env.put("AWS_DEFAULT_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", "bench");
        env.put("AWS_SECRET_ACCESS_KEY", "bench");
        env.put("AWS_ENDPOINT_URL", moto.toString());
        env.put("KEYS_TABLE", TABLE);
        // what the template gives the authorizer, so that it starts as deployed
        env.put("ROUTE_SCOPES", routeScopes);
        env.put("TZ", ":UTC");
        return env;
    }

    /**
     * One cold invocation; when moto itself is too busy to answer in time (a 503 from the
     * function), the sample says nothing about the function, so it is taken again, up to twice.
     */
    private Sample invokeRetryingBusyEmulator(Case c, int round) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return invokeCold(c, round, null, false);
            } catch (EmulatorBusy busy) {
                if (attempt == 2) {
                    throw busy;
                }
                retries++;
                System.err.println("  " + c.name() + ": moto too busy to answer in time; taken again");
            }
        }
    }

    private static final class EmulatorBusy extends IllegalStateException {
        EmulatorBusy(String message) {
            super(message);
        }
    }

    /** @param graceful end the JVM as Lambda does at shutdown (SIGTERM), so it runs its exit actions */
    private Sample invokeCold(Case c, int round, Path classLog, boolean graceful) throws Exception {
        int apiPort = freePort();
        int runtimePort = freePort();
        List<String> command = new ArrayList<>(List.of(rie.toString(),
                "--runtime-interface-emulator-address", "127.0.0.1:" + apiPort,
                "--runtime-api-address", "127.0.0.1:" + runtimePort,
                "--log-level", "error",
                java.toString()));
        command.addAll(lambdaJvmFlags());
        command.addAll(c.jvmFlags());
        if (classLog != null) {
            command.add("-Xlog:class+load=info:file=" + classLog);
        }
        command.addAll(List.of("-classpath", runtimeClasspath, RIC_MAIN, c.handler() + "::handleRequest"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(c.taskRoot().toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve("rie-" + round % 2 + ".log").toFile());
        builder.environment().clear();
        builder.environment().putAll(functionEnvironment(c));
        Process emulator = builder.start();
        try {
            awaitListening(apiPort, emulator);
            byte[] event = c.event().apply(round);
            long start = System.nanoTime();
            byte[] response = post(URI.create("http://127.0.0.1:" + apiPort + "/2015-03-31/functions/function/invocations"),
                    event);
            double wallMs = (System.nanoTime() - start) / 1e6;
            ProcessHandle jvm = emulator.toHandle().children().findFirst()
                    .orElseThrow(() -> new IllegalStateException("no JVM under the emulator"));
            double cpuMs = cpuMillis(jvm.pid());
            long classes = PerfCounters.loadedClasses(jvm.pid());
            JsonNode answer = JSON.readTree(response);
            if (answer.path("statusCode").asInt() == 503) {
                throw new EmulatorBusy(c.name() + " answered 503: " + new String(response, StandardCharsets.UTF_8));
            }
            if (!c.ok().test(answer)) {
                throw new IllegalStateException(c.name() + " answered " + new String(response, StandardCharsets.UTF_8)
                        + "; see " + work.resolve("rie-" + round % 2 + ".log"));
            }
            return new Sample(wallMs, cpuMs, classes);
        } finally {
            if (graceful) {
                for (ProcessHandle child : emulator.toHandle().children().toList()) {
                    child.destroy();
                    child.onExit().get(60, TimeUnit.SECONDS);
                }
            }
            emulator.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            emulator.destroyForcibly();
            emulator.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The process's user + system CPU time, all its threads, in milliseconds (clock ticks of 10 ms). */
    static double cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 3, utime field 14, stime field 15
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 10.0;
    }

    // ---------------------------------------------------------------------------------------------
    // SnapStart: init, the CRaC hooks as Lambda runs them around the snapshot, then requests

    /** Runs the SnapStart probe a few times (each a fresh JVM) and reports the medians. */
    private String snapStart(Case c, boolean classLog) throws Exception {
        Path events = work.resolve("snapstart-events-" + fileName(c.name()));
        int warm = c.name().equals("create") || c.name().equals("delete") ? 30 : 60;
        List<double[]> runs = new ArrayList<>();
        for (int run = 0; run < snapStartRuns(); run++) {
            // each run its own events: a delete's key exists once
            deleteTree(events);
            Files.createDirectories(events);
            for (int i = 0; i <= warm + SnapStartProbe.AFTER_IDLE; i++) {
                Files.write(events.resolve(String.format("%03d.json", i)), c.event().apply(1000 * (run + 1) + i));
            }
            runs.add(probe(c, events, classLog && run == 0));
        }
        double[] medians = new double[9];
        for (int i = 0; i < medians.length; i++) {
            final int field = i;
            medians[i] = median(runs.stream().mapToDouble(r -> r[field]).sorted().toArray());
        }
        double[] ratios = runs.stream().mapToDouble(r -> r[2] / r[3]).sorted().toArray();
        double[] idleRatios = runs.stream().mapToDouble(r -> r[2] / r[7]).sorted().toArray();
        return String.format(Locale.ROOT, "%-12s init %5.0f  beforeCheckpoint %5.0f  first %6.1f  back-to-back %5.1f"
                        + "  p99 %6.1f  first/back-to-back %5.2f [%.2f-%.2f]  [<= 1.50]  after idle %5.1f  first/after idle"
                        + " %5.2f [%.2f-%.2f]  CPU first %5.2f back-to-back %5.2f after idle %5.2f", c.name(), medians[0],
                medians[1], medians[2], medians[3], medians[4], median(ratios), ratios[0], ratios[ratios.length - 1],
                medians[7], median(idleRatios), idleRatios[0], idleRatios[idleRatios.length - 1], medians[6], medians[5],
                medians[8]);
    }

    private int snapStartRuns() {
        return Math.min(SNAPSTART_RUNS, rounds);
    }

    private double[] probe(Case c, Path events, boolean classLog) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(lambdaJvmFlags());
        command.addAll(probeFlags);
        if (classLog) {
            command.add("-Xlog:class+load=info:file=" + work.resolve("snapstart-classes-" + fileName(c.name()) + ".log"));
        }
        Path benchClasses = root.resolve("bench/target/classes");
        command.addAll(List.of("-classpath", runtimeClasspath + ":" + benchClasses, SnapStartProbe.class.getName(),
                c.taskRoot().toString(), c.handler(), events.toString()));
        if (c.eventType() != null) {
            command.add(c.eventType());
        }
        Path log = work.resolve("snapstart-" + fileName(c.name()) + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(c.taskRoot().toFile()).redirectError(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(functionEnvironment(c));
        Process probe = builder.start();
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith(SnapStartProbe.RESULT)).map(l -> l.substring(SnapStartProbe.RESULT.length()))
                .findFirst().orElse(null);
        if (probe.waitFor() != 0 || out == null) {
            throw new IllegalStateException("SnapStart probe for " + c.name() + " failed; see " + log);
        }
        return Arrays.stream(out.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    // ---------------------------------------------------------------------------------------------
    // the report

    private String report(List<Case> cases, Map<String, List<Sample>> samples, List<String> snapStart, String machine) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n\"before\" is the functions' jar built from main at " + BEFORE_COMMIT + "; the rest from this tree.%n"));
        out.append(String.format("%nCold starts on %s: %d rounds, one fresh JVM per invocation under the Runtime Interface"
                + " Emulator; Lambda's java17/java21 JVM flags; %d MB; against moto%n", jdkName, rounds, MEMORY_MB));
        out.append(machine).append(retries == 0 ? "" : "; " + retries + " invocations taken again because moto was too busy to answer in time").append('\n');
        out.append(String.format("%-52s %24s %24s %8s%n", "case", "wall ms median [min-max]", "CPU ms median [min-max]",
                "classes"));
        Map<String, double[]> medians = new LinkedHashMap<>();
        for (Case c : cases) {
            List<Sample> s = samples.get(c.name());
            double[] wall = s.stream().mapToDouble(Sample::wallMs).sorted().toArray();
            double[] cpu = s.stream().mapToDouble(Sample::cpuMs).sorted().toArray();
            double[] classes = s.stream().mapToDouble(Sample::classes).sorted().toArray();
            medians.put(c.name(), new double[]{median(wall), median(cpu), median(classes)});
            out.append(String.format("%-52s %8.0f [%5.0f-%5.0f] %8.0f [%5.0f-%5.0f] %8.0f%n", c.name(),
                    median(wall), wall[0], wall[wall.length - 1], median(cpu), cpu[0], cpu[cpu.length - 1], median(classes)));
        }
        // ONLY measures some functions, without the baselines the ratios are taken against
        if (medians.keySet().containsAll(List.of("create", "get", "list", "delete", "authorizer", "the usual way: create",
                "no-op RequestHandler<APIGatewayProxyRequestEvent>"))) {
            double create = medians.get("create")[1];
            double usual = medians.get("the usual way: create")[1];
            double noop = medians.get("no-op RequestHandler<APIGatewayProxyRequestEvent>")[1];
            out.append(String.format("%nRatios of median CPU ms (targets in brackets):%n"));
            out.append(String.format("  create / the usual way          %5.2f  [<= 0.60]%n", create / usual));
            out.append(String.format("  create / no-op event handler    %5.2f  [<= 1.50]%n", create / noop));
            for (String other : List.of("get", "list", "delete", "authorizer")) {
                out.append(String.format("  %-31s %5.2f  [<= 1.30]%n", other + " / no-op event handler",
                        medians.get(other)[1] / noop));
            }
            for (String name : List.of("create", "get", "list")) {
                if (medians.containsKey("before: " + name)) {
                    out.append(String.format("  %-31s %5.2f  (wall %5.2f, classes %5.0f -> %5.0f)%n", name + " / before",
                            medians.get(name)[1] / medians.get("before: " + name)[1],
                            medians.get(name)[0] / medians.get("before: " + name)[0],
                            medians.get("before: " + name)[2], medians.get(name)[2]));
                }
            }
            out.append(String.format("  classes loaded at create's first response: %.0f  [<= 3000]%n", medians.get("create")[2]));
        }
        out.append(String.format("%nSnapStart mode (init, GC, the registered beforeCheckpoint then afterRestore hooks,"
                + " then the first request, %s back-to-back, then %d each after %d ms idle; ms, medians of %d JVM%s):%n",
                "30 (create, delete) or 60", SnapStartProbe.AFTER_IDLE, SnapStartProbe.IDLE_MS, snapStartRuns(), snapStartRuns() == 1 ? "" : "s"));
        snapStart.forEach(line -> out.append("  ").append(line).append('\n'));
        return out.toString();
    }

    private static String fileName(String caseName) {
        return caseName.replaceAll("[^A-Za-z0-9]+", "-");
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    // ---------------------------------------------------------------------------------------------
    // events

    private byte[] event(String file, String accountId, String keyId, String body) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(root.resolve("events").resolve(file).toFile());
            String path = "/accounts/" + accountId + "/keys" + (keyId == null ? "" : "/" + keyId);
            event.put("path", path);
            ((ObjectNode) event.get("requestContext")).put("path", "/prod" + path);
            ObjectNode params = event.putObject("pathParameters");
            params.put("accountId", accountId);
            if (keyId != null) {
                params.put("keyId", keyId);
            }
            if (body != null) {
                event.put("body", body);
            }
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] authorizerEvent(String authorization) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(root.resolve("events/authorize.json").toFile());
            ((ObjectNode) event.get("headers")).put("Authorization", authorization);
            if (event.get("multiValueHeaders") instanceof ObjectNode multi) {
                multi.putArray("Authorization").add(authorization);
            }
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Predicate<JsonNode> status(int expected) {
        return answer -> answer.path("statusCode").asInt() == expected;
    }

    private static boolean allows(JsonNode policy) {
        return policy.path("policyDocument").path("Statement").path(0).path("Effect").asText().equals("Allow");
    }

    // ---------------------------------------------------------------------------------------------
    // task roots and the runtime

    /** A jar unpacked, as Lambda unpacks a function's .zip or .jar into /var/task. */
    static Path unpack(Path jar, Path into) throws IOException {
        deleteTree(into);
        Files.createDirectories(into);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return into;
    }

    /** A jar as the one library of a .zip deployment: {@code lib/} under the task root. */
    private Path jarRoot(String name, Path jar) throws IOException {
        Path into = work.resolve(name);
        deleteTree(into);
        Files.createDirectories(into.resolve("lib"));
        Files.copy(jar, into.resolve("lib").resolve(jar.getFileName()));
        return into;
    }

    /** A baseline's task root as a .zip deployment lays it out: its classes, and its libraries under lib/. */
    private Path baselineRoot(String name, Predicate<String> library) throws IOException {
        Path into = work.resolve(name);
        deleteTree(into);
        Path classes = root.resolve("bench/target/classes");
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = into.resolve(classes.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        Path lib = into.resolve("lib");
        Files.createDirectories(lib);
        try (Stream<Path> jars = Files.list(root.resolve("bench/target/lib"))) {
            for (Path jar : jars.filter(j -> library.test(j.getFileName().toString())).toList()) {
                Files.copy(jar, lib.resolve(jar.getFileName()));
            }
        }
        return into;
    }

    /** The runtime client's native library, extracted once as Lambda ships it next to the runtime. */
    private static Path extractJni(Path runtime, Path work) throws IOException {
        Path target = work.resolve("libaws-lambda-jni.linux-x86_64.so");
        try (Stream<Path> jars = Files.list(runtime)) {
            Path ric = jars.filter(j -> j.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))
                    .findFirst().orElseThrow();
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(ric))) {
                for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                    if (entry.getName().equals("jni/libaws-lambda-jni.linux-x86_64.so")) {
                        Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                        return target;
                    }
                }
            }
        }
        throw new IOException("no x86_64 JNI library in the runtime interface client");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String javaVersion(Path java) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java.toString(), "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String vendor = property(out, "java.vendor");
        String version = property(out, "java.runtime.version");
        return String.format(Locale.ROOT, "%s %s (%s)", vendor, version, java);
    }

    private static String property(String settings, String name) {
        return settings.lines().map(String::strip).filter(l -> l.startsWith(name + " = ")).findFirst()
                .map(l -> l.substring(name.length() + 3)).orElse("?");
    }

    // ---------------------------------------------------------------------------------------------
    // plumbing

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process emulator) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!emulator.isAlive()) {
                throw new IllegalStateException("the emulator exited with " + emulator.exitValue());
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(5);
            }
        }
        throw new IllegalStateException("the emulator did not listen on " + port);
    }

    private static byte[] post(URI uri, byte[] body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(60_000);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        try (InputStream in = connection.getResponseCode() < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            return in == null ? new byte[0] : in.readAllBytes();
        }
    }

    /** How busy the machine was while the rounds ran: load averages, and the CPU share others and the hypervisor took. */
    private static final class LoadMeter {
        private final String loadBefore = loadAverage();
        private final long[] cpuBefore = cpuTimes();
        private final long start = System.nanoTime();

        String finish() {
            long[] after = cpuTimes();
            long total = 0;
            for (int i = 0; i < after.length; i++) {
                total += after[i] - cpuBefore[i];
            }
            long idle = (after[3] - cpuBefore[3]) + (after[4] - cpuBefore[4]);
            long steal = after.length > 7 ? after[7] - cpuBefore[7] : 0;
            return String.format(Locale.ROOT, "Machine: %d CPUs; load average %s before, %s after; CPUs %.0f%% busy"
                            + " during the %.0f s run (this benchmark included), steal %.1f%%",
                    Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(),
                    100.0 * (total - idle) / Math.max(total, 1), (System.nanoTime() - start) / 1e9,
                    100.0 * steal / Math.max(total, 1));
        }

        private static String loadAverage() {
            try {
                String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
                return parts[0] + " " + parts[1] + " " + parts[2];
            } catch (IOException e) {
                return "?";
            }
        }

        private static long[] cpuTimes() {
            try {
                String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
                return Arrays.stream(line.substring(3).trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
            } catch (IOException e) {
                return new long[10];
            }
        }
    }

    /** The JVM's own class counters (what {@code jstat -class} reads), from its perf data. */
    static final class PerfCounters {
        private PerfCounters() {
        }

        static long loadedClasses(long pid) {
            try {
                Class<?> hostType = Class.forName("sun.jvmstat.monitor.MonitoredHost");
                Class<?> idType = Class.forName("sun.jvmstat.monitor.VmIdentifier");
                Class<?> vmType = Class.forName("sun.jvmstat.monitor.MonitoredVm");
                Class<?> monitorType = Class.forName("sun.jvmstat.monitor.Monitor");
                Object host = hostType.getMethod("getMonitoredHost", String.class).invoke(null, "localhost");
                Object vm = hostType.getMethod("getMonitoredVm", idType)
                        .invoke(host, idType.getConstructor(String.class).newInstance("//" + pid));
                try {
                    Method find = vmType.getMethod("findByName", String.class);
                    Method value = monitorType.getMethod("getValue");
                    long total = 0;
                    for (String counter : List.of("java.cls.loadedClasses", "java.cls.sharedLoadedClasses")) {
                        Object monitor = find.invoke(vm, counter);
                        if (monitor != null) {
                            total += ((Number) value.invoke(monitor)).longValue();
                        }
                    }
                    return total;
                } finally {
                    vmType.getMethod("detach").invoke(vm);
                }
            } catch (ReflectiveOperationException e) {
                return -1;
            }
        }
    }
}
