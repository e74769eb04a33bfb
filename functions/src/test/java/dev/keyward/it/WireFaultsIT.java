package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.telemetry.TestContext;
import dev.keyward.aws.AwsClients;
import dev.keyward.runtime.AwsSettings;
import dev.keyward.runtime.Keyward;
import dev.keyward.it.AwsEnvironment.Aws;
import dev.keyward.it.ToxiproxyServer.Proxied;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Faults on the wire: toxiproxy-server between the SDK and the emulator, so the service's real
 * clients (the functions' timeouts and retries) meet answers that come too late, connections cut
 * in the middle of an answer, and an AWS that is not there for 30 s. Every request must be
 * answered within the functions' 20 s timeout with a 2xx, a 4xx or a 503 problem+json; after each
 * scenario and one sweep, the {@link Invariants} hold.
 */
@ExtendWith(AwsEnvironment.class)
class WireFaultsIT {
    /** The functions' timeout in infra/template.yaml: an answer later than this is API Gateway's 504. */
    private static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration DOWNTIME = Duration.ofSeconds(30);
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();
    private static ToxiproxyServer toxiproxy;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(8);

    private Aws aws;
    private Proxied proxied;
    private AwsClients clients;
    private Attempts attempts;
    private Api api;
    private Api direct;

    @BeforeAll
    static void startToxiproxy() {
        toxiproxy = ToxiproxyServer.start();
    }

    @AfterAll
    static void stopToxiproxy() {
        POOL.shutdownNow();
        toxiproxy.close();
    }

    @BeforeEach
    void setUp(Aws aws) {
        this.aws = aws;
        proxied = toxiproxy.proxy("emulator-" + ACCOUNTS.incrementAndGet(), aws.emulator().endpoint());
        AwsSettings settings = new AwsSettings(aws.settings().region(), Optional.of(proxied.endpoint()),
                aws.settings().credentials(), aws.settings().tableName(), aws.settings().keyLimit(), Optional.empty());
        // the functions' own clients: their timeouts, their retries
        attempts = new Attempts();
        clients = new AwsClients(settings, List.of(attempts));
        api = new Api(Keyward.ports(settings, clients, Clock.systemUTC()));
        direct = new Api(aws.service());
    }

    @AfterEach
    void tearDown() throws IOException {
        clients.close();
        proxied.proxy().delete();
    }

    @Test
    void answersLaterThanTheAttemptTimeout_shouldBeAnsweredInTime_andLeaveNothingBroken() throws IOException {
        // GIVEN half the connections answer 3.5 s late: after the SDK's 3 s attempt timeout,
        // with the request already applied
        String account = "wire-late-" + ACCOUNTS.get();
        List<Map<String, Object>> keys = keys(account, 4);
        proxied.proxy().toxics().latency("late", ToxicDirection.DOWNSTREAM, 3_500).setToxicity(0.5f);

        // WHEN every kind of change and read is made
        List<Answer> answers = workload(account, keys);

        // THEN
        proxied.proxy().toxics().get("late").remove();
        assertTrue(attempts.failed() > 0, "some attempts met the late answers");
        assertAnswered(answers);
        assertHoldAfterSweep(account, keys, answers);
    }

    @Test
    void connectionsResetMidAnswer_shouldBeAnsweredInTime_andLeaveNothingBroken() throws IOException {
        // GIVEN half the connections are cut after 300 bytes of answer: inside the headers or the body
        String account = "wire-reset-" + ACCOUNTS.get();
        List<Map<String, Object>> keys = keys(account, 4);
        proxied.proxy().toxics().limitData("cut", ToxicDirection.DOWNSTREAM, 300).setToxicity(0.5f);

        List<Answer> answers = workload(account, keys);

        proxied.proxy().toxics().get("cut").remove();
        assertTrue(attempts.failed() > 0, "some attempts met a cut connection");
        assertAnswered(answers);
        assertHoldAfterSweep(account, keys, answers);
    }

    @Test
    void awsDownForThirtySeconds_shouldAnswer503_thenServeAgain() throws Exception {
        // GIVEN AWS cannot be reached for 30 s
        String account = "wire-down-" + ACCOUNTS.get();
        List<Map<String, Object>> keys = keys(account, 4);
        proxied.proxy().disable();
        long downUntil = System.nanoTime() + DOWNTIME.toNanos();

        // WHEN requests keep coming while it is down
        List<Answer> whileDown = new ArrayList<>();
        while (System.nanoTime() < downUntil) {
            whileDown.addAll(workload(account, keys));
            Thread.sleep(1_000);
        }
        proxied.proxy().enable();
        List<Answer> afterwards = workload(account, keys);

        // THEN every request was answered in time: 503 while it was down, served again after
        assertAnswered(whileDown);
        for (Answer answer : whileDown) {
            assertEquals(503, answer.response().getStatusCode(), answer.toString());
        }
        assertAnswered(afterwards);
        for (Answer answer : afterwards) {
            assertTrue(answer.response().getStatusCode() < 500, answer.toString());
        }
        List<Answer> all = new ArrayList<>(whileDown);
        all.addAll(afterwards);
        assertHoldAfterSweep(account, keys, all);
    }

    /** Counts the AWS calls that failed (after their retries): proof that a scenario met its fault. */
    private static final class Attempts implements ExecutionInterceptor {
        private final AtomicInteger failed = new AtomicInteger();

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            failed.incrementAndGet();
        }

        int failed() {
            return failed.get();
        }
    }

    /** One request's answer and how long it took. */
    private record Answer(String request, APIGatewayProxyResponseEvent response, Duration took) {
        @Override
        public String toString() {
            return request + " -> " + response.getStatusCode() + " in " + took.toMillis() + " ms: " + response.getBody();
        }
    }

    /** Keys made before the fault, straight to the emulator. */
    private List<Map<String, Object>> keys(String account, int count) {
        List<Map<String, Object>> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(direct.createKey(account, "Before the fault " + i));
        }
        return keys;
    }

    /** At once: two creates, a view, a rename, a rotation and a delete of the given keys, and a list. */
    private List<Answer> workload(String account, List<Map<String, Object>> keys) {
        List<Callable<Answer>> requests = List.of(
                timed("create", () -> api.create.handleRequest(Events.createNamed(account, "During the fault"), invocation())),
                timed("create", () -> api.create.handleRequest(Events.createNamed(account, "During the fault"), invocation())),
                timed("get", () -> api.get.handleRequest(Events.get(account, id(keys.get(0))), invocation())),
                timed("rename", () -> api.rename.handleRequest(Events.rename(account, id(keys.get(1)), "{\"name\":\"Renamed\"}"), invocation())),
                timed("rotate", () -> api.rotate.handleRequest(Events.rotate(account, id(keys.get(2)), "{\"graceSeconds\":0}"), invocation())),
                timed("delete", () -> api.delete.handleRequest(Events.delete(account, id(keys.get(3))), invocation())),
                timed("list", () -> api.list.handleRequest(Events.list(account, Map.of()), invocation())));
        List<Future<Answer>> futures = new ArrayList<>();
        requests.forEach(request -> futures.add(POOL.submit(request)));
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> future : futures) {
            try {
                answers.add(future.get(2, TimeUnit.MINUTES));
            } catch (Exception e) {
                throw new AssertionError("a request did not answer", e);
            }
        }
        return answers;
    }

    /** The Lambda context of an invocation starting now: the handler spends no more than the function's timeout. */
    private static com.amazonaws.services.lambda.runtime.Context invocation() {
        return TestContext.startingNow(FUNCTION_TIMEOUT);
    }

    private static Callable<Answer> timed(String name, Callable<APIGatewayProxyResponseEvent> request) {
        return () -> {
            long start = System.nanoTime();
            APIGatewayProxyResponseEvent response = request.call();
            return new Answer(name, response, Duration.ofNanos(System.nanoTime() - start));
        };
    }

    private static String id(Map<String, Object> key) {
        return (String) key.get("id");
    }

    /** Each answered within the function timeout, with a 2xx, a 4xx or a 503 problem+json. */
    private static void assertAnswered(List<Answer> answers) {
        for (Answer answer : answers) {
            int status = answer.response().getStatusCode();
            assertTrue(answer.took().compareTo(FUNCTION_TIMEOUT) < 0, "later than the function timeout: " + answer);
            assertTrue(status < 300 || (status >= 400 && status < 500) || status == 503, answer.toString());
            if (status >= 400) {
                assertEquals("application/problem+json", answer.response().getHeaders().get("Content-Type"), answer.toString());
                if (status == 503) {
                    assertEquals("dependency_unavailable", Api.json(answer.response()).get("code"), answer.toString());
                    assertNotNull(answer.response().getHeaders().get("Retry-After"), answer.toString());
                }
            }
        }
    }

    /**
     * With the wire healthy again: one sweep (no note is too young: nothing is in flight), then the
     * invariants, and every key whose delete answered 204 is refused.
     */
    private void assertHoldAfterSweep(String account, List<Map<String, Object>> keys, List<Answer> answers) {
        aws.service().housekeeping().sweepOrphanSecrets(Duration.ZERO);
        Invariants.assertHold(aws, account);
        Map<String, Object> deletedKey = keys.get(3);
        if (answers.stream().anyMatch(a -> a.request().equals("delete") && a.response().getStatusCode() == 204)) {
            Invariants.assertRefused(aws, (String) deletedKey.get("clientId"), (String) deletedKey.get("clientSecret"));
        }
    }
}
