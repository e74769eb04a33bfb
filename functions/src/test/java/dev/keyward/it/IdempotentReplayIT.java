package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.aws.AwsClients;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.Credentials;
import dev.keyward.core.IdempotencyRecord;
import dev.keyward.core.TestClock;
import dev.keyward.it.AwsEnvironment.Aws;
import dev.keyward.it.FaultInjector.Fault;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A replay answers what the first answer said, member for member, whatever happened in between:
 * time passing, the first attempt's answer never recorded, a crash between a rotation's steps.
 * Through the handlers, the SDK and the emulator.
 */
@ExtendWith(AwsEnvironment.class)
class IdempotentReplayIT {
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();
    private Aws aws;
    private TestClock clock;
    private Api api;

    @BeforeEach
    void setUp(Aws aws) {
        this.aws = aws;
        this.clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        this.api = new Api(aws.service(clock));
    }

    private static String account() {
        return "replay-" + ACCOUNTS.incrementAndGet();
    }

    private static APIGatewayProxyRequestEvent create(String account, String body, String key) {
        return Events.withHeader(Events.create(account, body), "Idempotency-Key", key);
    }

    private static APIGatewayProxyRequestEvent rotate(String account, String keyId, long grace, String key) {
        return Events.withHeader(Events.rotate(account, keyId, "{\"graceSeconds\":" + grace + "}"), "Idempotency-Key", key);
    }

    @Test
    void create_replayOfAKeyWithExpiryAndScopes_answersEveryMemberTheFirstAnswerDid() {
        String account = account();
        String expiresAt = clock.instant().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString();
        String body = "{\"name\":\"Warehouse Dashboard\",\"expiresAt\":\"" + expiresAt + "\",\"scopes\":[\"whoami:read\"]}";

        APIGatewayProxyResponseEvent first = api.create(create(account, body, "with-expiry"));
        APIGatewayProxyResponseEvent replay = api.create(create(account, body, "with-expiry"));

        assertEquals(201, first.getStatusCode(), first.getBody());
        assertEquals(201, replay.getStatusCode(), replay.getBody());
        assertEquals(List.of("whoami:read"), Api.json(first).get("scopes"));
        assertNotNull(Api.json(first).get("expiresAt"));
        assertEquals(Api.json(first), Api.json(replay));
    }

    @Test
    void create_replayOnceTheExpiryIsNearOrPast_answersTheStoredAnswer_notA400() {
        String account = account();
        String expiresAt = clock.instant().plus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.SECONDS).toString();
        String body = "{\"name\":\"Warehouse Dashboard\",\"expiresAt\":\"" + expiresAt + "\"}";
        APIGatewayProxyResponseEvent first = api.create(create(account, body, "short-lived"));
        assertEquals(201, first.getStatusCode(), first.getBody());

        clock.advance(Duration.ofSeconds(90)); // less than a minute before the expiry: a new create would be refused
        APIGatewayProxyResponseEvent near = api.create(create(account, body, "short-lived"));
        clock.advance(Duration.ofMinutes(5)); // past it
        APIGatewayProxyResponseEvent past = api.create(create(account, body, "short-lived"));

        assertEquals(201, near.getStatusCode(), near.getBody());
        assertEquals(201, past.getStatusCode(), past.getBody());
        assertEquals(Api.json(first), Api.json(near));
        assertEquals(Api.json(first), Api.json(past), "the status as first answered: active");
        BadInputIT.assertProblem(api.create(create(account, body, "new-request")), 400, "invalid_expires_at");
    }

    @Test
    void create_replay_isAuditedAsAViewOfTheSecret() {
        String account = account();
        APIGatewayProxyResponseEvent first = api.create(create(account, "{\"name\":\"3PL Integration\"}", "audited"));
        String keyId = (String) Api.json(first).get("id");

        api.create(create(account, "{\"name\":\"3PL Integration\"}", "audited"));

        List<Object> actions = EditAndAuditIT.events(api.audit.handleRequest(Events.audit(account, Map.of()), null))
                .stream().filter(e -> keyId.equals(e.get("keyId"))).map(e -> e.get("action")).toList();
        assertEquals(List.of("key.secret_viewed", "key.created"), actions);
    }

    @Test
    void create_replayAfterTheKeyWasDeleted_answers404() {
        String account = account();
        APIGatewayProxyResponseEvent first = api.create(create(account, "{\"name\":\"3PL Integration\"}", "gone-since"));
        api.delete.handleRequest(Events.delete(account, (String) Api.json(first).get("id")), null);

        BadInputIT.assertProblem(api.create(create(account, "{\"name\":\"3PL Integration\"}", "gone-since")),
                404, "key_not_found");
    }

    @Test
    void rotate_retriedAfterItsAnswerWasNeverRecorded_rotatesOnce_andKeepsThePreviousSecretsGrace() {
        // GIVEN a rotation that completed, but whose answer was never recorded (the record's last write failed)
        String account = account();
        Map<String, Object> key = api.createKey(account, "3PL Integration");
        String keyId = (String) key.get("id");
        String original = (String) key.get("clientSecret");
        FaultInjector faults = new FaultInjector();
        APIGatewayProxyResponseEvent first;
        try (AwsClients clients = aws.clientsWith(faults)) {
            Api faulty = new Api(Keyward.ports(aws.settings(), clients, clock));
            faults.arm("DynamoDb.UpdateItem", 1, Fault.NOT_SENT, true);
            first = faulty.rotate.handleRequest(rotate(account, keyId, 3600, "rotate-once"), null);
        }
        assertEquals(200, first.getStatusCode(), first.getBody());

        // WHEN the client, which never saw that answer, retries once the attempt's lease ran out
        clock.advance(IdempotencyRecord.LEASE.plusSeconds(1));
        APIGatewayProxyResponseEvent retried = api.rotate.handleRequest(rotate(account, keyId, 3600, "rotate-once"), null);

        // THEN it answers the same new secret, and the original secret keeps the whole grace it was given
        assertEquals(200, retried.getStatusCode(), retried.getBody());
        assertEquals(Api.json(first).get("clientSecret"), Api.json(retried).get("clientSecret"));
        assertEquals(Api.json(first).get("previousSecretValidUntil"), Api.json(retried).get("previousSecretValidUntil"));
        Map<String, AttributeValue> client = client((String) key.get("clientId"));
        assertEquals("2", client.get("revision").n(), "one rotation: two writes");
        assertEquals(Credentials.hash((String) Api.json(first).get("clientSecret")), client.get("secretHash").s());
        AttributeValue graceEnd = client.get("otherHashes").m().get(Credentials.hash(original));
        assertNotNull(graceEnd, "the original secret is still accepted");
        assertEquals(Instant.parse((String) Api.json(first).get("previousSecretValidUntil")).toEpochMilli(),
                Long.parseLong(graceEnd.n()));
        // and from now on it is a stored answer like any other
        assertEquals(Api.json(retried), Api.json(api.rotate.handleRequest(rotate(account, keyId, 3600, "rotate-once"), null)));
        Invariants.assertHold(aws, account);
    }

    @Test
    void rotate_retriedAfterItStoppedBetweenVaultAndStore_finishesThatRotation_withTheSecretTheVaultHolds() {
        // GIVEN a rotation whose new secret reached Secrets Manager, but whose last key-store write never did
        String account = account();
        Map<String, Object> key = api.createKey(account, "3PL Integration");
        String keyId = (String) key.get("id");
        FaultInjector faults = new FaultInjector();
        try (AwsClients clients = aws.clientsWith(faults)) {
            Api faulty = new Api(Keyward.ports(aws.settings(), clients, clock));
            faults.arm("DynamoDb.TransactWriteItems", 2, Fault.NOT_SENT, true);
            APIGatewayProxyResponseEvent failed = faulty.rotate.handleRequest(rotate(account, keyId, 600, "half-way"), null);
            assertEquals(503, failed.getStatusCode(), failed.getBody());
        }
        String inVault = Invariants.currentSecret(aws, account, keyId);

        // WHEN the client retries
        APIGatewayProxyResponseEvent retried = api.rotate.handleRequest(rotate(account, keyId, 600, "half-way"), null);

        // THEN the rotation it started is finished: the secret integrations may already have fetched is current
        assertEquals(200, retried.getStatusCode(), retried.getBody());
        assertEquals(inVault, Api.json(retried).get("clientSecret"));
        assertEquals(Credentials.hash(inVault), client((String) key.get("clientId")).get("secretHash").s());
        Invariants.assertHold(aws, account);
    }

    @Test
    void rotate_graceEndsNoEarlierThanAsked() {
        String account = account();
        String keyId = (String) api.createKey(account, "3PL Integration").get("id");
        clock.advance(Duration.ofMillis(650)); // a rotation in the middle of a second
        Instant asked = clock.instant();

        Map<String, Object> rotated = api.rotateKey(account, keyId, 4);

        Instant until = Instant.parse((String) rotated.get("previousSecretValidUntil"));
        assertFalse(until.isBefore(asked.plusSeconds(4)), "asked 4 s at " + asked + ", valid until " + until);
        assertTrue(until.isBefore(asked.plusSeconds(5)), "and not much longer: " + until);
    }

    private Map<String, AttributeValue> client(String clientId) {
        return aws.clients().dynamoDb().getItem(g -> g.tableName(aws.settings().tableName()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("CLIENT#" + clientId), "sk", AttributeValue.fromS("CLIENT")))).item();
    }
}
