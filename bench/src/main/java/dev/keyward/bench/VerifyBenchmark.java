package dev.keyward.bench;

import dev.keyward.core.ApiKey;
import dev.keyward.core.ClientRecord;
import dev.keyward.core.Credentials;
import dev.keyward.core.EventLog;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.UsageRecorder;
import dev.keyward.memory.MemoryKeyStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * The authorizer's in-process cost per check: header parsing, format and checksum checks,
 * SHA-256 and the constant-time comparison, with the DynamoDB lookup answered from memory
 * ({@link dev.keyward.memory}; in production that GetItem, a few milliseconds, dominates). Not a test: it prints numbers, and stops only
 * when the key in memory is not answered as the measured path needs.
 *
 * <pre>
 * mvn -B -q -DskipTests package
 * java -cp functions/target/keyward-functions.jar:bench/target/classes dev.keyward.bench.VerifyBenchmark
 * </pre>
 */
public final class VerifyBenchmark {
    private static final int BATCH = 1_000;
    private static final int WARMUP_BATCHES = 500;
    private static final int MEASURED_BATCHES = 2_000;
    private static volatile int sink;

    private VerifyBenchmark() {
    }

    public static void main(String[] args) {
        String clientId = Credentials.newClientId();
        String secret = Credentials.newClientSecret();
        String previous = Credentials.newClientSecret();
        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        // a key in its grace period after a rotation: two hashes to compare, the worst normal case
        MemoryKeyStore keys = new MemoryKeyStore();
        keys.insert(new ApiKey("acme", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3", "Warehouse Dashboard", clientId, now, "admin", null),
                Credentials.hash(previous), "bench", KeyPorts.DEFAULT_KEY_LIMIT);
        ClientRecord created = keys.find(clientId).orElseThrow();
        boolean rotated = keys.replace(created, new ClientRecord(clientId, "acme", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3", Credentials.hash(secret),
                List.of(new ClientRecord.OtherSecret(Credentials.hash(previous), now.plusSeconds(3600))),
                created.revision() + 1, null));
        KeyVerifier verifier = new KeyVerifier(keys, new UsageRecorder(keys, EventLog.NONE), Clock.fixed(now, ZoneOffset.UTC),
                EventLog.NONE);
        String valid = basic(clientId, secret);
        String wrongSecret = basic(clientId, Credentials.newClientSecret());
        String badChecksum = basic(clientId, secret.substring(0, secret.length() - 1)
                + (secret.endsWith("a") ? "b" : "a"));
        if (!rotated || !verifier.verify(valid).allowed() || !verifier.verify(basic(clientId, previous)).allowed()
                || verifier.verify(wrongSecret).allowed()) {
            throw new IllegalStateException("the key in memory is not the one measured: a rotated key in its grace period");
        }

        System.out.printf("VerifyBenchmark: %s %s, %d cores; %d batches of %d checks after %d warm-up batches%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), MEASURED_BATCHES, BATCH, WARMUP_BATCHES);
        report("allow (valid secret, lookup in memory)", () -> verifier.verify(valid).allowed());
        report("deny (wrong secret, lookup in memory)", () -> verifier.verify(wrongSecret).allowed());
        report("deny (bad checksum, no lookup)", () -> verifier.verify(badChecksum).allowed());
        System.out.println("AWS calls per check in production: 1 DynamoDB GetItem (strongly consistent), plus at most"
                + " 1 write (usage counts and lastUsedAt) per key per minute per sandbox; 0 for a malformed header or bad checksum;"
                + " never Secrets Manager.");
        System.out.println("Reproduce: mvn -B -q -DskipTests package && java -cp"
                + " functions/target/keyward-functions.jar:bench/target/classes dev.keyward.bench.VerifyBenchmark");
    }

    private static void report(String name, Supplier<Boolean> check) {
        for (int b = 0; b < WARMUP_BATCHES; b++) {
            runBatch(check);
        }
        double[] nsPerCheck = new double[MEASURED_BATCHES];
        for (int b = 0; b < MEASURED_BATCHES; b++) {
            nsPerCheck[b] = runBatch(check) / (double) BATCH;
        }
        Arrays.sort(nsPerCheck);
        System.out.printf("  %-40s median %7.0f ns/check   p10 %7.0f   p90 %7.0f   %,10.0f checks/s on one thread%n", name,
                nsPerCheck[MEASURED_BATCHES / 2], nsPerCheck[MEASURED_BATCHES / 10], nsPerCheck[MEASURED_BATCHES * 9 / 10],
                1e9 / nsPerCheck[MEASURED_BATCHES / 2]);
    }

    private static long runBatch(Supplier<Boolean> check) {
        int acc = 0;
        long start = System.nanoTime();
        for (int i = 0; i < BATCH; i++) {
            acc += check.get() ? 1 : 0;
        }
        long elapsed = System.nanoTime() - start;
        sink += acc;
        return elapsed;
    }

    private static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
}
