package dev.keyward.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** When the client reads Secrets Manager, and what it serves while it cannot. */
class KeywardCredentialsTest {
    private final FakeSecrets secrets = new FakeSecrets();
    private final MovableClock clock = new MovableClock();
    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private KeywardCredentials credentials() {
        return KeywardCredentials.builder().secretsManager(secrets).accountId("acme").keyId("key_1")
                .maxAge(Duration.ofMinutes(15)).refreshInterval(Duration.ofSeconds(30)).maxStale(Duration.ofHours(1))
                .clock(clock).build();
    }

    private static String header(String secret) {
        return "Basic " + Base64.getEncoder().encodeToString(("kw_cid_x:" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a403_shouldBeReturnedAsItIs_withoutReadingTheSecretAgain() throws Exception {
        KeywardCredentials credentials = credentials();
        List<String> sent = new ArrayList<>();

        int status = credentials.call(h -> {
            sent.add(h);
            return 403;
        }, s -> s);

        assertEquals(403, status);
        assertEquals(List.of(header("s1")), sent, "no retry: valid credentials without the scope");
        assertEquals(1, secrets.reads.get());
    }

    @Test
    void a401_shouldReadAgain_andRetryOnce_withTheNewSecret() throws Exception {
        KeywardCredentials credentials = credentials();
        credentials.authorizationHeader();
        secrets.value = "s2";
        List<String> sent = new ArrayList<>();

        int status = credentials.call(h -> {
            sent.add(h);
            return h.equals(header("s2")) ? 200 : 401;
        }, s -> s);

        assertEquals(200, status);
        assertEquals(List.of(header("s1"), header("s2")), sent);
        assertEquals(2, secrets.reads.get());
    }

    @Test
    void a401_shouldNotBeRetried_whenTheSecretIsUnchanged_andReadAtMostOncePerInterval() throws Exception {
        KeywardCredentials credentials = credentials();
        credentials.authorizationHeader();
        AtomicInteger attempts = new AtomicInteger();

        for (int i = 0; i < 5; i++) {
            assertEquals(401, (int) credentials.call(h -> {
                attempts.incrementAndGet();
                return 401;
            }, s -> s));
        }
        assertEquals(5, attempts.get(), "the same secret again: no second attempt");
        assertEquals(2, secrets.reads.get(), "one read for the first 401 (right after the first read), none for the next ones within 30 s");

        clock.advance(Duration.ofSeconds(29));
        credentials.call(h -> 401, s -> s);
        assertEquals(2, secrets.reads.get());
        clock.advance(Duration.ofSeconds(1));
        credentials.call(h -> 401, s -> s);
        assertEquals(3, secrets.reads.get(), "30 s after the last read");
    }

    @Test
    void manyThreads_shouldShareOneRead_andNotHoldTheLockDuringIt() throws Exception {
        KeywardCredentials credentials = credentials();
        secrets.hold();
        List<Future<String>> waiting = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waiting.add(threads.submit(credentials::authorizationHeader));
        }
        assertTrue(secrets.entered.await(5, TimeUnit.SECONDS));
        Future<String> text = threads.submit(credentials::toString);
        assertEquals("KeywardCredentials[secret=keyward/acme/key_1]", text.get(5, TimeUnit.SECONDS));

        secrets.gate.countDown();
        for (Future<String> f : waiting) {
            assertEquals(header("s1"), f.get(5, TimeUnit.SECONDS));
        }
        assertEquals(1, secrets.reads.get(), "one read for six threads");
    }

    @Test
    void anAgedSecret_shouldBeServedWithoutWaiting_whileAnotherThreadReadsIt() throws Exception {
        KeywardCredentials credentials = credentials();
        credentials.authorizationHeader();
        clock.advance(Duration.ofMinutes(15));
        secrets.value = "s2";
        secrets.hold();
        Future<String> reader = threads.submit(credentials::authorizationHeader);
        assertTrue(secrets.entered.await(5, TimeUnit.SECONDS));

        assertEquals(header("s1"), threads.submit(credentials::authorizationHeader).get(5, TimeUnit.SECONDS));

        secrets.gate.countDown();
        assertEquals(header("s2"), reader.get(5, TimeUnit.SECONDS));
        assertEquals(header("s2"), credentials.authorizationHeader());
    }

    @Test
    void whileSecretsManagerFails_theLastSecretShouldServe_upToMaxStale_thenTheFailureIsThrown() {
        KeywardCredentials credentials = credentials();
        credentials.authorizationHeader();
        secrets.failing = true;

        clock.advance(Duration.ofMinutes(15));
        assertEquals(header("s1"), credentials.authorizationHeader(), "maxAge passed, the read failed: the old secret");
        assertEquals(2, secrets.reads.get());
        clock.advance(Duration.ofSeconds(29));
        assertEquals(header("s1"), credentials.authorizationHeader());
        assertEquals(2, secrets.reads.get(), "no new read within 30 s of the failure");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(header("s1"), credentials.authorizationHeader());
        assertEquals(3, secrets.reads.get());

        clock.advance(Duration.ofMinutes(60).minusSeconds(30).minusMillis(1));
        assertEquals(header("s1"), credentials.authorizationHeader(), "the last instant of maxAge + maxStale");
        clock.advance(Duration.ofMillis(1));
        assertThrows(SecretsManagerException.class, credentials::authorizationHeader);

        secrets.failing = false;
        secrets.value = "s2";
        assertEquals(header("s2"), credentials.authorizationHeader(), "Secrets Manager back");
    }

    @Test
    void withoutAnySecretRead_aFailureShouldBeThrown_andTheNextCallReadAgain() {
        KeywardCredentials credentials = credentials();
        secrets.failing = true;

        assertThrows(SecretsManagerException.class, credentials::authorizationHeader);
        secrets.failing = false;
        assertEquals(header("s1"), credentials.authorizationHeader());
    }

    @Test
    void a401_whileSecretsManagerFails_shouldReturnThe401() throws Exception {
        KeywardCredentials credentials = credentials();
        credentials.authorizationHeader();
        clock.advance(Duration.ofMinutes(1));
        secrets.failing = true;
        AtomicInteger attempts = new AtomicInteger();

        assertEquals(401, (int) credentials.call(h -> {
            attempts.incrementAndGet();
            return 401;
        }, s -> s));
        assertEquals(1, attempts.get());
        assertEquals(2, secrets.reads.get());
    }

    @Test
    void refresh_shouldReadAtOnce() {
        KeywardCredentials credentials = credentials();
        String before = credentials.authorizationHeader();
        secrets.value = "s2";

        credentials.refresh();

        assertNotEquals(before, credentials.authorizationHeader());
        assertEquals(2, secrets.reads.get());
        assertSame(credentials.clientId(), credentials.clientId());
    }

    /** Secrets Manager answering one secret, or failing, optionally held at a gate. */
    private static final class FakeSecrets implements SecretsManagerClient {
        final AtomicInteger reads = new AtomicInteger();
        /** Counted down by the first read that reaches the gate set by {@link #hold}. */
        volatile CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch gate;
        volatile String value = "s1";
        volatile boolean failing;

        @Override
        public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
            reads.incrementAndGet();
            if (gate != null) {
                entered.countDown();
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failing) {
                throw SecretsManagerException.builder().message("unreachable").statusCode(503).build();
            }
            assertEquals("keyward/acme/key_1", request.secretId());
            return GetSecretValueResponse.builder()
                    .secretString("{\"clientId\":\"kw_cid_x\",\"clientSecret\":\"" + value + "\"}").build();
        }

        /** Holds every read from now on until the gate opens; {@link #entered} tells when one waits there. */
        void hold() {
            entered = new CountDownLatch(1);
            gate = new CountDownLatch(1);
        }

        @Override
        public String serviceName() {
            return "secretsmanager";
        }

        @Override
        public void close() {
        }
    }

    /** The time the credentials see: moved by the test. */
    private static final class MovableClock implements InstantSource {
        private volatile Instant now = Instant.parse("2026-11-27T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
