package dev.keyward.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.ApiKey;
import dev.keyward.core.ChangeEvent;
import dev.keyward.core.AuditTrail;
import dev.keyward.core.ClientRecord;
import dev.keyward.core.ClientStore;
import dev.keyward.core.Credentials;
import dev.keyward.core.EventLog;
import dev.keyward.core.KeyStore;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.UsageRecorder;
import dev.keyward.core.UsageStore;
import dev.keyward.core.SecretVault;
import dev.keyward.core.StoredKey;
import dev.keyward.handler.AuthorizerHandler;
import dev.keyward.handler.CreateKeyHandler;
import dev.keyward.handler.GetKeyHandler;
import dev.keyward.handler.ListKeysHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Warm handler overhead: the time a handler takes for one request when its AWS calls cost
 * nothing (the ports answer from memory), i.e. the handler's time minus the SDK calls: reading
 * the event's JSON, the service's checks, the answer's JSON. Not a test: it prints numbers.
 *
 * <pre>
 * mvn -B -q -DskipTests package
 * java [Lambda's flags] -cp functions/target/keyward-functions.jar:functions/target/test-classes dev.keyward.bench.HandlerOverheadBenchmark
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
        String clientId = Credentials.newClientId();
        String secret = Credentials.newClientSecret();
        ApiKey key = new ApiKey("acme", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3", "Warehouse Dashboard", clientId, NOW, "admin", null);
        List<ApiKey> page = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            page.add(key);
        }
        KeyPorts service = new KeyPorts(new MemoryKeys(key, page), clientStore(clientId, key, secret),
                new MemoryVault(secret), new NoAudit(), Clock.systemUTC(), 100, EventLog.NONE);
        KeyVerifier verifier = new KeyVerifier(clientStore(clientId, key, secret), new UsageRecorder(new UsageStore() {
            @Override
            public void add(String accountId, String keyId, java.util.Map<java.time.LocalDate, Counts> counts, Instant lastUsedAt) {
            }

            @Override
            public List<dev.keyward.core.DailyUsage> days(String accountId, String keyId, java.time.LocalDate from,
                                                         java.time.LocalDate to) {
                return List.of();
            }
        }, EventLog.NONE), Clock.systemUTC(), EventLog.NONE);

        System.out.printf("HandlerOverheadBenchmark: %s %s, flags %s; %d requests after %d warm-up requests%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments(), MEASURED, WARMUP);
        report("create", new CreateKeyHandler(service), event("create-key.json"));
        report("get", new GetKeyHandler(service), event("get-key.json"));
        report("list (10 keys)", new ListKeysHandler(service), event("list-keys.json"));
        String basic = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        report("authorizer (allow)", new AuthorizerHandler(verifier),
                new String(event("authorize.json"), StandardCharsets.UTF_8)
                        .replaceFirst("\"Authorization\": \"[^\"]*\"", "\"Authorization\": \"" + basic + "\"")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static void report(String name, RequestStreamHandler handler, byte[] event) throws IOException {
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

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private static byte[] event(String file) throws IOException {
        try (InputStream in = HandlerOverheadBenchmark.class.getResourceAsStream("/events/" + file)) {
            return in.readAllBytes();
        }
    }

    private static ClientStore clientStore(String clientId, ApiKey key, String secret) {
        ClientRecord client = new ClientRecord(clientId, key.accountId(), key.id(), Credentials.hash(secret), List.of(), 1, null);
        return new ClientStore() {
            @Override
            public Optional<ClientRecord> find(String id) {
                return id.equals(clientId) ? Optional.of(client) : Optional.empty();
            }

            @Override
            public boolean replace(ClientRecord current, ClientRecord next, ChangeEvent event) {
                return true;
            }
        };
    }

    private record MemoryKeys(ApiKey key, List<ApiKey> page) implements KeyStore {
        @Override
        public Insert insert(ApiKey key, String secretHash, String secretRef, int limit, ChangeEvent created) {
            return Insert.SAVED;
        }

        @Override
        public Optional<StoredKey> find(String accountId, String keyId) {
            return Optional.of(new StoredKey(key, "secret-ref"));
        }

        @Override
        public Optional<ApiKey> rename(String accountId, String keyId, String name, ChangeEvent event) {
            return Optional.of(key);
        }

        @Override
        public int count(String accountId) {
            return 0;
        }

        @Override
        public Page list(String accountId, int limit, String afterKeyId) {
            return new Page(page, null);
        }

        @Override
        public boolean delete(StoredKey key, Instant at, List<ChangeEvent> events) {
            return true;
        }

        @Override
        public void noteSecret(String accountId, String keyId, Instant at) {
        }

        @Override
        public boolean claimNote(SecretNote note, Instant now, Instant until) {
            return false;
        }

        @Override
        public void forgetSecret(String accountId, String keyId) {
        }

        @Override
        public List<SecretNote> secretNotes(Instant before) {
            return List.of();
        }

        @Override
        public Optional<ApiKey> update(String accountId, String keyId, dev.keyward.core.KeyUpdate update, ChangeEvent event) {
            return Optional.of(key.with(update));
        }

        @Override
        public boolean deleteExpired(StoredKey key, Instant at, ChangeEvent event) {
            return false;
        }

        @Override
        public List<dev.keyward.core.ExpiredKey> expiredKeys(Instant expiredBefore) {
            return List.of();
        }

        @Override
        public dev.keyward.core.AccountSettings settings(String accountId) {
            return dev.keyward.core.AccountSettings.DEFAULTS;
        }

        @Override
        public void saveExpiredKeyRetention(String accountId, Integer days, ChangeEvent event) {
        }
    }

    private record MemoryVault(String secret) implements SecretVault {
        @Override
        public StoredSecret store(String accountId, String keyId, String clientId, String clientSecret,
                                  String requestId) {
            return new StoredSecret("secret-ref", clientId, clientSecret);
        }

        @Override
        public void replace(String secretRef, String clientId, String clientSecret, String requestId) {
        }

        @Override
        public Optional<String> readVersion(String secretRef, String requestId) {
            return Optional.of(secret);
        }

        @Override
        public Optional<String> read(String secretRef) {
            return Optional.of(secret);
        }

        @Override
        public void destroy(String accountId, String keyId) {
        }
    }

    private static final class NoAudit implements AuditTrail {
        @Override
        public void record(ChangeEvent event) {
        }

        @Override
        public boolean recordOnce(ChangeEvent event, String once) {
            return true;
        }

        @Override
        public Page list(String accountId, int limit, String afterId) {
            return new Page(List.of(), null);
        }
    }
}
