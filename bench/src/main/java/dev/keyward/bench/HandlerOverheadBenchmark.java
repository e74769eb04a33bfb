package dev.keyward.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.core.ApiKey;
import dev.keyward.core.Credentials;
import dev.keyward.core.EventLog;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.UsageRecorder;
import dev.keyward.handler.AuthorizerHandler;
import dev.keyward.handler.CreateKeyHandler;
import dev.keyward.handler.GetKeyHandler;
import dev.keyward.handler.ListKeysHandler;
import dev.keyward.memory.MemoryAuditTrail;
import dev.keyward.memory.MemoryKeyStore;
import dev.keyward.memory.MemoryVault;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * Warm handler overhead: the time a handler takes for one request when its AWS calls cost
 * nothing (the ports in memory, {@link dev.keyward.memory}), i.e. the handler's time minus the
 * SDK calls: reading the event's JSON, the use case's checks, the answer's JSON. Not a test: it
 * prints numbers. Its argument is the repository's root (default: the working directory), whose
 * {@code events/} it sends.
 *
 * <pre>
 * mvn -B -q -DskipTests package
 * java [Lambda's flags] -cp functions/target/keyward-functions.jar:bench/target/classes dev.keyward.bench.HandlerOverheadBenchmark
 * </pre>
 */
public final class HandlerOverheadBenchmark {
    private static final int WARMUP = 20_000;
    private static final int MEASURED = 50_000;
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static volatile int sink;

    private HandlerOverheadBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path events = Path.of(args.length > 0 ? args[0] : ".").resolve("events");
        String clientId = Credentials.newClientId();
        String secret = Credentials.newClientSecret();
        // the key get-key.json names, and nine more for the list
        MemoryKeyStore keys = new MemoryKeyStore();
        MemoryVault vault = new MemoryVault();
        save(keys, vault, new ApiKey("acme", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3", "Warehouse Dashboard", clientId, NOW,
                "admin", null), secret);
        for (int i = 0; i < 9; i++) {
            save(keys, vault, new ApiKey("acme", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2W" + i, "Warehouse Dashboard",
                    Credentials.newClientId(), NOW, "admin", null), Credentials.newClientSecret());
        }
        KeyPorts service = ports(keys, vault, KeyPorts.DEFAULT_KEY_LIMIT);
        // every create saves a key: its own store, with room for all of them
        KeyPorts creating = ports(new MemoryKeyStore(), new MemoryVault(), 1 + WARMUP + MEASURED);
        KeyVerifier verifier = new KeyVerifier(keys, new UsageRecorder(keys, EventLog.NONE), Clock.systemUTC(), EventLog.NONE);

        System.out.printf("HandlerOverheadBenchmark: %s %s, flags %s; %d requests after %d warm-up requests%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), MEASURED, WARMUP);
        report("create", new CreateKeyHandler(creating), event(events, "create-key.json"), "\"statusCode\":201");
        report("get", new GetKeyHandler(service), event(events, "get-key.json"), "\"statusCode\":200");
        report("list (10 keys)", new ListKeysHandler(service), event(events, "list-keys.json"), "\"statusCode\":200");
        String basic = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        report("authorizer (allow)", new AuthorizerHandler(verifier),
                new String(event(events, "authorize.json"), StandardCharsets.UTF_8)
                        .replaceFirst("\"Authorization\": \"[^\"]*\"", "\"Authorization\": \"" + basic + "\"")
                        .getBytes(StandardCharsets.UTF_8), "\"Allow\"");
    }

    private static void save(MemoryKeyStore keys, MemoryVault vault, ApiKey key, String secret) {
        String ref = vault.store(key.accountId(), key.id(), key.clientId(), secret, "bench").ref();
        keys.insert(key, Credentials.hash(secret), ref, KeyPorts.DEFAULT_KEY_LIMIT);
    }

    private static KeyPorts ports(MemoryKeyStore keys, MemoryVault vault, int keyLimit) {
        return new KeyPorts(keys, keys, vault, new MemoryAuditTrail(), Clock.systemUTC(), keyLimit, EventLog.NONE);
    }

    /** Measures {@code handler} on {@code event}, once it answered with {@code expected} in its answer. */
    private static void report(String name, RequestStreamHandler handler, byte[] event, String expected) throws IOException {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), first, null);
        if (!first.toString(StandardCharsets.UTF_8).contains(expected)) {
            throw new IllegalStateException(name + " answered " + first.toString(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < WARMUP; i++) {
            call(handler, event);
        }
        long[] wall = new long[MEASURED];
        long[] cpu = new long[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            wall[i] = call(handler, event);
            cpu[i] = THREADS.getCurrentThreadCpuTime() - cpuStart;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        // wall time includes whatever else the machine ran meanwhile; the thread's CPU time does not
        System.out.printf("  %-20s wall median %6.1f us p99 %7.1f us | CPU median %6.1f us p99 %6.1f us  [p99 < 500 us]%n",
                name, wall[MEASURED / 2] / 1e3, wall[MEASURED * 99 / 100] / 1e3,
                cpu[MEASURED / 2] / 1e3, cpu[MEASURED * 99 / 100] / 1e3);
    }

    private static long call(RequestStreamHandler handler, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        long start = System.nanoTime();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        long elapsed = System.nanoTime() - start;
        sink += out.size();
        return elapsed;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static byte[] event(Path events, String file) throws IOException {
        return Files.readAllBytes(events.resolve(file));
    }
}
