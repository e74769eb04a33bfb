package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.core.UseCases;
import dev.keyward.aws.AwsClients;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.KeyVerifier;
import dev.keyward.it.AwsEnvironment.Aws;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Requests that race each other, on threads, through the real SDK to the emulator, which applies
 * each call atomically as AWS does. Each scenario runs many rounds, each in a fresh account, and
 * reports how many failed; {@code KEYWARD_MOTO_MODE=threaded} runs them against moto unlocked.
 */
@ExtendWith(AwsEnvironment.class)
class ConcurrencyIT {
    static final int LIMIT_ROUNDS = 12;
    static final int DOUBLE_DELETE_ROUNDS = 15;
    static final int DELETE_RACE_ROUNDS = 20;
    static final int ROTATE_RACE_ROUNDS = 20;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(32);
    /**
     * A round sends dozens of requests at once through one emulator, which on a loaded machine
     * takes seconds, so these clients wait longer than the functions do: what is tested here is
     * what the requests do to each other, not how late answers are handled.
     */
    private static final AwsClients.Timeouts PATIENT = new AwsClients.Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(30));

    private Aws aws;
    private AwsClients clients;
    private UseCases service;
    private Api api;
    private KeyVerifier verifier;

    @BeforeEach
    void setUp(Aws aws) {
        this.aws = aws;
        clients = aws.clientsWith(PATIENT);
        service = new UseCases(Keyward.ports(aws.settings(), clients, Clock.systemUTC()));
        api = new Api(service);
        verifier = verifier(clients);
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    @AfterAll
    static void stopThreads() {
        POOL.shutdownNow();
    }

    @Test
    void thirtyCreates_againstALimitOfFive_shouldMakeExactlyFiveKeys() {
        Api limited = new Api(Keyward.ports(Aws.settings(aws.emulator(), aws.settings().tableName(), 5), clients,
                Clock.systemUTC()));
        rounds("thirtyCreates_againstALimitOfFive", LIMIT_ROUNDS, round -> {
            String account = "race-limit-" + round;

            List<APIGatewayProxyResponseEvent> answers = race(30,
                    i -> () -> limited.create(Events.createNamed(account, "Integration " + i)));

            assertEquals(5, answers.stream().filter(a -> a.getStatusCode() == 201).count(), statuses(answers));
            answers.stream().filter(a -> a.getStatusCode() != 201)
                    .forEach(a -> BadInputIT.assertProblem(a, 409, "key_limit_reached"));
            assertEquals(5, keyIds(account).size(), "keys listed");
            assertEquals(5, Invariants.secretKeyIds(aws, account).size(), "secrets in Secrets Manager");
            Invariants.assertHold(aws, account);
        });
    }

    @Test
    void twoDeletesOfOneKey_shouldAnswerOne204AndOne404() {
        rounds("twoDeletesOfOneKey", DOUBLE_DELETE_ROUNDS, round -> {
            String account = "race-delete-" + round;
            api.createKey(account, "Stays");
            List<Map<String, Object>> keys = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                keys.add(api.createKey(account, "Deleted twice " + i));
            }

            // two deletes of each of the four keys, their transactions sent at once
            List<APIGatewayProxyResponseEvent> answers;
            try (AwsClients together = aws.clientsWith(PATIENT, new FirstWritesTogether(8))) {
                Api deleting = new Api(Keyward.ports(aws.settings(), together, Clock.systemUTC()));
                answers = race(8, i -> () -> deleting.delete.handleRequest(
                        Events.delete(account, (String) keys.get(i / 2).get("id")), null));
            }

            for (int k = 0; k < keys.size(); k++) {
                List<Integer> pair = List.of(answers.get(2 * k).getStatusCode(), answers.get(2 * k + 1).getStatusCode());
                assertTrue(pair.contains(204) && pair.contains(404), "two deletes of one key answered " + pair);
                Invariants.assertRefused(aws, (String) keys.get(k).get("clientId"), (String) keys.get(k).get("clientSecret"));
            }
            assertEquals(1, keyIds(account).size(), "the key that was not deleted is listed");
            Invariants.assertHold(aws, account);
        });
    }

    @Test
    void deleteRacingGetListRenameRotateAndTheAuthorizer_shouldNeverAnswer5xxNorShowAHalfDeletedKey() {
        rounds("deleteRacingEverything", DELETE_RACE_ROUNDS, round -> {
            String account = "race-everything-" + round;
            Map<String, Object> key = api.createKey(account, "Raced");
            String keyId = (String) key.get("id");
            String clientId = (String) key.get("clientId");
            String authorization = Events.basic(clientId, (String) key.get("clientSecret"));

            List<Object> answers;
            // Every request below reads first; its first write waits until all nine writers
            // (the delete, three renames, two rotations, three authorizers recording the use)
            // have reached theirs, and then they all go at once.
            try (AwsClients together = aws.clientsWith(PATIENT, new FirstWritesTogether(9))) {
                Api racing = new Api(Keyward.ports(aws.settings(), together, Clock.systemUTC()));
                List<Callable<Object>> tasks = new ArrayList<>();
                tasks.add(() -> {
                    APIGatewayProxyResponseEvent deleted = racing.delete.handleRequest(Events.delete(account, keyId), null);
                    // the very next check after the 204 refuses the key
                    return List.of(deleted, verifier(together).verify(authorization).allowed());
                });
                for (int i = 0; i < 2; i++) {
                    tasks.add(() -> racing.get.handleRequest(Events.get(account, keyId), null));
                    tasks.add(() -> racing.list.handleRequest(Events.list(account, Map.of()), null));
                    tasks.add(() -> racing.rotate.handleRequest(Events.rotate(account, keyId, "{\"graceSeconds\":0}"), null));
                }
                for (int i = 0; i < 3; i++) {
                    tasks.add(() -> racing.rename.handleRequest(Events.rename(account, keyId, "{\"name\":\"Renamed\"}"), null));
                    // each authorizer sandbox records a key's use once a minute: three sandboxes, three writes
                    tasks.add(() -> verifier(together).verify(authorization).allowed());
                }
                answers = raceAll(tasks);
            }

            List<?> delete = (List<?>) answers.get(0);
            assertEquals(204, ((APIGatewayProxyResponseEvent) delete.get(0)).getStatusCode(), "the delete");
            assertEquals(false, delete.get(1), "the authorizer right after the delete's 204");
            for (Object answer : answers.subList(1, answers.size())) {
                if (!(answer instanceof APIGatewayProxyResponseEvent response)) {
                    continue; // an authorizer's verdict: either is right while the delete is in flight
                }
                int status = response.getStatusCode();
                assertTrue(status == 200 || status == 404 || status == 409, status + " " + response.getBody());
                if (status != 200) {
                    BadInputIT.assertProblem(response, status, status == 404 ? "key_not_found" : "rotation_in_progress");
                    continue;
                }
                Map<String, Object> body = Api.json(response);
                if (body.containsKey("keys")) {
                    for (Object listed : (List<?>) body.get("keys")) {
                        assertEquals(clientId, ((Map<?, ?>) listed).get("clientId"), "a listed key is whole");
                    }
                } else {
                    assertEquals(clientId, body.get("clientId"), "a key is shown whole");
                }
            }
            assertEquals(List.of(), keyIds(account), "nothing listed after the delete");
            Invariants.assertHold(aws, account);
            Invariants.assertRefused(aws, clientId, (String) key.get("clientSecret"));
            assertFalse(verifier.verify(authorization).allowed(), "refused after the race");
        });
    }

    @Test
    void rotateRacingRotate_shouldAnswerOne200AndTheOthers409_andTheStoredSecretIsTheAcceptedOne() {
        int rotations = 8;
        rounds("rotateRacingRotate", ROTATE_RACE_ROUNDS, round -> {
            String account = "race-rotate-" + round;
            Map<String, Object> key = api.createKey(account, "Rotated");
            String keyId = (String) key.get("id");
            String clientId = (String) key.get("clientId");
            // Every rotation reads the key first; their conditional writes that take the lease
            // wait for each other and then go at once.
            try (AwsClients together = aws.clientsWith(PATIENT, new FirstWritesTogether(rotations))) {
                Api rotating = new Api(Keyward.ports(aws.settings(), together, Clock.systemUTC()));

                List<APIGatewayProxyResponseEvent> answers = race(rotations, i -> () -> rotating.rotate.handleRequest(
                        Events.rotate(account, keyId, "{\"graceSeconds\":0}"), null));

                List<APIGatewayProxyResponseEvent> rotated = answers.stream().filter(a -> a.getStatusCode() == 200).toList();
                assertEquals(1, rotated.size(), statuses(answers));
                answers.stream().filter(a -> a.getStatusCode() != 200)
                        .forEach(a -> BadInputIT.assertProblem(a, 409, "rotation_in_progress"));
                String newSecret = (String) Api.json(rotated.get(0)).get("clientSecret");
                String stored = service.views().get(account, keyId, "test").clientSecret();
                assertEquals(newSecret, stored, "Secrets Manager holds the secret the rotation answered");
                assertTrue(verifier.verify(Events.basic(clientId, stored)).allowed(), "the stored secret is accepted");
                assertFalse(verifier.verify(Events.basic(clientId, (String) key.get("clientSecret"))).allowed(),
                        "the previous secret is refused (no grace)");
                Invariants.assertHold(aws, account);
            }
        });
    }

    /**
     * Holds each thread's first conditional write ({@code UpdateItem} or {@code TransactWriteItems})
     * until {@code parties} threads have reached theirs, then lets them all go at once: the writes
     * race inside the emulator, not in the threads' scheduling. Waits at most 10 s, so a run
     * where fewer threads write still ends.
     */
    private static final class FirstWritesTogether implements ExecutionInterceptor {
        private final CyclicBarrier barrier;
        private final Set<Thread> released = ConcurrentHashMap.newKeySet();

        FirstWritesTogether(int parties) {
            barrier = new CyclicBarrier(parties);
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            Object request = context.request();
            if ((request instanceof UpdateItemRequest || request instanceof TransactWriteItemsRequest)
                    && released.add(Thread.currentThread())) {
                try {
                    barrier.await(10, TimeUnit.SECONDS);
                } catch (BrokenBarrierException | TimeoutException e) {
                    // let it go: the test's assertions say what happened
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** A new authorizer sandbox's verifier: its own record of when it last wrote a key's use. */
    private KeyVerifier verifier(AwsClients clients) {
        return Keyward.verifier(aws.settings(), clients, Clock.systemUTC());
    }

    private List<String> keyIds(String account) {
        APIGatewayProxyResponseEvent list = api.list.handleRequest(Events.list(account, Map.of("limit", "100")), null);
        assertEquals(200, list.getStatusCode(), list.getBody());
        return ((List<?>) Api.json(list).get("keys")).stream().map(k -> (String) ((Map<?, ?>) k).get("id")).toList();
    }

    private static String statuses(List<APIGatewayProxyResponseEvent> answers) {
        return answers.stream().map(a -> a.getStatusCode() + (a.getStatusCode() >= 500 ? " " + a.getBody() : ""))
                .toList().toString();
    }

    /** Runs {@code count} tasks released at the same instant; their answers in task order. */
    private static <T> List<T> race(int count, java.util.function.IntFunction<Callable<T>> task) {
        List<Callable<T>> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(task.apply(i));
        }
        return raceAll(tasks);
    }

    private static <T> List<T> raceAll(List<Callable<T>> tasks) {
        CyclicBarrier start = new CyclicBarrier(tasks.size());
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(POOL.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return task.call();
            }));
        }
        List<T> answers = new ArrayList<>();
        for (Future<T> future : futures) {
            try {
                answers.add(future.get(60, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new AssertionError("a raced request failed", e);
            }
        }
        return answers;
    }

    /**
     * Runs {@code round} {@code count} times, each time in a fresh account, prints how many rounds
     * failed, and fails with the first failure if any did.
     */
    private void rounds(String scenario, int count, IntConsumer round) {
        List<String> failures = new ArrayList<>();
        AssertionError first = null;
        for (int i = 0; i < count; i++) {
            try {
                round.accept(i);
            } catch (AssertionError e) {
                failures.add("round " + i + ": " + e.getMessage());
                first = first == null ? e : first;
            }
        }
        System.out.println("ConcurrencyIT " + scenario + ": " + count + " rounds, " + failures.size() + " failed, on "
                + aws.emulator().name() + (failures.isEmpty() ? "" : " " + failures));
        if (first != null) {
            throw new AssertionError(scenario + ": " + failures.size() + " of " + count + " rounds failed; first: "
                    + first.getMessage(), first);
        }
    }
}
