package dev.keyward.it;

import dev.keyward.invoke.StreamHandlers;
import static dev.keyward.it.Events.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.keyward.aws.AwsClients;
import dev.keyward.runtime.AwsSettings;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.Credentials;
import dev.keyward.core.TestClock;
import dev.keyward.handler.AuthorizerHandler;
import dev.keyward.http.Authorizers.AuthorizerFailure;
import dev.keyward.it.AwsEnvironment.Aws;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Integrations' credentials checked by the REQUEST authorizer, through the SDK against the emulator. */
@ExtendWith(AwsEnvironment.class)
class AuthorizerIT {
    private static final String METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/whoami";
    private static final String DYNAMO_GET = "DynamoDb.GetItem";
    private static final String DYNAMO_UPDATE = "DynamoDb.UpdateItem";
    private static final String DYNAMO_TRANSACT = "DynamoDb.TransactWriteItems";

    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00.250Z"));
    private final CallCounter calls = new CallCounter();
    private Aws aws;
    private AwsClients countedClients;
    private Api api;
    private RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer;

    @BeforeEach
    void setUp(Aws aws) {
        this.aws = aws;
        api = new Api(aws.service(clock));
        countedClients = aws.clientsWith(calls);
        authorizer = aws.authorizer(countedClients, clock);
    }

    @AfterEach
    void closeClients() {
        countedClients.close();
    }

    private IamPolicyResponseV1 authorize(String authorization) {
        return authorizer.handleRequest(Events.authorize(authorization), null);
    }

    /** The policy's effect ({@link #effect}), or the message of the failure (Unauthorized: API Gateway's 401). */
    private static String outcome(java.util.function.Supplier<IamPolicyResponseV1> authorizing) {
        try {
            return effect(authorizing.get());
        } catch (AuthorizerFailure e) {
            return e.getMessage();
        }
    }

    /** The policy's one statement's effect, after checking it covers exactly this request. */
    private static String effect(IamPolicyResponseV1 response) {
        Map<?, ?>[] statements = (Map<?, ?>[]) response.getPolicyDocument().get("Statement");
        assertEquals(1, statements.length);
        assertEquals(List.of(METHOD_ARN), List.of((Object[]) statements[0].get("Resource")), "the policy covers this request only");
        assertEquals("execute-api:Invoke", statements[0].get("Action"));
        return (String) statements[0].get("Effect");
    }

    @Test
    void authorize_shouldAllowWithAccountAndKey_andWhoamiShouldAnswerThem() {
        // GIVEN a key
        Map<String, Object> key = api.createKey("acme-auth", "Warehouse Dashboard");

        // WHEN the integration calls with its Client ID and Secret
        IamPolicyResponseV1 response = authorize(basic((String) key.get("clientId"), (String) key.get("clientSecret")));

        // THEN it is allowed, and the protected route sees whose credentials they were
        assertEquals("Allow", effect(response));
        assertEquals(Map.of("accountId", "acme-auth", "keyId", key.get("id"), "scopes", ""), response.getContext());
        APIGatewayProxyResponseEvent whoami = api.whoami.handleRequest(Events.whoami(response.getContext()), null);
        assertEquals(200, whoami.getStatusCode(), whoami.getBody());
        assertEquals(Map.of("accountId", "acme-auth", "keyId", key.get("id"), "scopes", List.of()), Api.json(whoami));
        assertFalse(whoami.getBody().contains((String) key.get("clientSecret")));
    }

    @Test
    void authorize_shouldAnswerUnauthorized_wrongSecretUnknownClientAndMalformedHeaders() {
        Map<String, Object> key = api.createKey("acme-auth", "Warehouse Dashboard");
        String clientId = (String) key.get("clientId");
        Map<String, Object> other = api.createKey("acme-auth", "3PL Integration");

        assertEquals("Unauthorized", outcome(() -> authorize(basic(clientId, (String) other.get("clientSecret")))), "another key's secret");
        assertEquals("Unauthorized", outcome(() -> authorize(basic(Credentials.newClientId(), (String) key.get("clientSecret")))), "unknown client");
        assertEquals("Unauthorized", outcome(() -> authorize("Bearer " + key.get("clientSecret"))), "not Basic");
        assertEquals("Unauthorized", outcome(() -> authorize("Basic %%%")), "not base64");
        assertEquals("Unauthorized", outcome(() -> authorize(basic(clientId, ""))), "empty password");
    }

    @Test
    void authorize_shouldAnswerUnauthorized_toABadChecksum_withoutAnyDynamoDbCall() {
        Map<String, Object> key = api.createKey("acme-auth", "Warehouse Dashboard");
        String secret = (String) key.get("clientSecret");
        String tampered = secret.substring(0, 10) + (secret.charAt(10) == 'A' ? 'B' : 'A') + secret.substring(11);
        calls.reset();

        assertEquals("Unauthorized", outcome(() -> authorize(basic((String) key.get("clientId"), tampered))));
        assertEquals("Unauthorized", outcome(() -> authorize(basic((String) key.get("clientId"), ""))));

        assertEquals(0, calls.total(), calls.operations().toString());
    }

    @Test
    void authorize_shouldMakeOneConsistentRead_perCheck() {
        Map<String, Object> key = api.createKey("acme-auth", "Warehouse Dashboard");
        String header = basic((String) key.get("clientId"), (String) key.get("clientSecret"));
        authorize(header);
        authorize(header); // writes the sandbox's first check of the key
        calls.reset();

        for (int i = 0; i < 10; i++) {
            authorize(header);
        }

        assertEquals(10, calls.count(DYNAMO_GET), calls.operations().toString());
        assertEquals(0, calls.count(DYNAMO_UPDATE) + calls.count(DYNAMO_TRANSACT), "usage was written a moment ago");
        assertEquals(10, calls.total(), "no Secrets Manager call: " + calls.operations());
    }

    @Test
    void authorize_shouldAnswerUnauthorized_whenNoCredentialsArePresented() {
        AuthorizerFailure failure = assertThrows(AuthorizerFailure.class, () -> authorize(null));

        assertEquals("Unauthorized", failure.getMessage(), "the message API Gateway turns into 401");
        assertEquals(0, calls.total());
    }

    @Test
    void revocation_shouldBeImmediate_theVeryNextCheckIsDenied() {
        Map<String, Object> key = api.createKey("acme-revoke", "Warehouse Dashboard");
        String header = basic((String) key.get("clientId"), (String) key.get("clientSecret"));
        assertEquals("Allow", outcome(() -> authorize(header)));

        assertEquals(204, api.delete.handleRequest(Events.delete("acme-revoke", (String) key.get("id")), null).getStatusCode());

        assertEquals("Unauthorized", outcome(() -> authorize(header)));
    }

    @Test
    void rotation_shouldAcceptBothSecretsDuringGrace_thenOnlyTheNew() {
        Map<String, Object> key = api.createKey("acme-rotate", "Warehouse Dashboard");
        String clientId = (String) key.get("clientId");
        String keyId = (String) key.get("id");
        String oldSecret = (String) key.get("clientSecret");

        Map<String, Object> rotated = api.rotateKey("acme-rotate", keyId, 600);

        String newSecret = (String) rotated.get("clientSecret");
        assertEquals(clientId, rotated.get("clientId"), "same Client ID");
        assertNotEquals(oldSecret, newSecret);
        // 600 s from 10:00:00.250, rounded up to a whole second: never earlier than asked
        assertEquals("2026-11-27T10:10:01.000Z", rotated.get("previousSecretValidUntil"));
        assertEquals(newSecret, Api.json(api.get.handleRequest(Events.get("acme-rotate", keyId), null)).get("clientSecret"));
        assertTrue(currentVaultValue("acme-rotate", keyId).contains(newSecret), "Secrets Manager's AWSCURRENT is the new secret");
        assertEquals("Allow", outcome(() -> authorize(basic(clientId, oldSecret))));
        assertEquals("Allow", outcome(() -> authorize(basic(clientId, newSecret))));

        clock.advance(Duration.ofMillis(600_000));
        assertEquals("Allow", effect(authorize(basic(clientId, oldSecret))), "the whole 600 s asked");
        clock.advance(Duration.ofMillis(750));

        assertEquals("Unauthorized", outcome(() -> authorize(basic(clientId, oldSecret))));
        assertEquals("Allow", outcome(() -> authorize(basic(clientId, newSecret))));
    }

    @Test
    void rotation_twice_shouldKeepOnlyTheLatestPreviousSecret() {
        Map<String, Object> key = api.createKey("acme-rotate", "Warehouse Dashboard");
        String clientId = (String) key.get("clientId");
        String keyId = (String) key.get("id");

        String second = (String) api.rotateKey("acme-rotate", keyId, 3600).get("clientSecret");
        String third = (String) api.rotateKey("acme-rotate", keyId, 3600).get("clientSecret");

        assertEquals("Unauthorized", outcome(() -> authorize(basic(clientId, (String) key.get("clientSecret")))));
        assertEquals("Allow", outcome(() -> authorize(basic(clientId, second))));
        assertEquals("Allow", outcome(() -> authorize(basic(clientId, third))));
    }

    @Test
    void rotation_withoutGrace_shouldRefuseTheOldSecretAtOnce() {
        Map<String, Object> key = api.createKey("acme-rotate", "Warehouse Dashboard");
        String clientId = (String) key.get("clientId");

        Map<String, Object> rotated = api.rotateKey("acme-rotate", (String) key.get("id"), 0);

        assertTrue(rotated.containsKey("previousSecretValidUntil"), "present, as null");
        assertNull(rotated.get("previousSecretValidUntil"));
        assertEquals("Unauthorized", outcome(() -> authorize(basic(clientId, (String) key.get("clientSecret")))));
        assertEquals("Allow", outcome(() -> authorize(basic(clientId, (String) rotated.get("clientSecret")))));
    }

    @Test
    void lastUsedAt_shouldMoveAtMostOncePerMinute_over100Calls() {
        Map<String, Object> key = api.createKey("acme-used", "Warehouse Dashboard");
        String keyId = (String) key.get("id");
        String header = basic((String) key.get("clientId"), (String) key.get("clientSecret"));
        assertNull(Api.json(api.get.handleRequest(Events.get("acme-used", keyId), null)).get("lastUsedAt"));
        calls.reset();

        // 100 checks, one every 1.5 s (148.5 s in all)
        for (int i = 0; i < 100; i++) {
            assertEquals("Allow", outcome(() -> authorize(header)));
            clock.advance(Duration.ofMillis(1500));
        }

        assertEquals(100, calls.count(DYNAMO_GET));
        assertEquals(3, calls.count(DYNAMO_UPDATE) + calls.count(DYNAMO_TRANSACT),
                "the first check written by the second (1.5 s), then at 60 s and 120 s");
        assertEquals("2026-11-27T10:02:00.000Z",
                Api.json(api.get.handleRequest(Events.get("acme-used", keyId), null)).get("lastUsedAt"));
        assertEquals("2026-11-27T10:02:00.000Z",
                KeyLifecycleIT.keys(api.list.handleRequest(Events.list("acme-used", Map.of()), null)).get(0).get("lastUsedAt"));
    }

    @Test
    void lastUsedAt_shouldMoveToTheNewestCheck_whenAnotherSandboxWritesItsOwnCounts() {
        Map<String, Object> key = api.createKey("acme-used-2", "Warehouse Dashboard");
        String header = basic((String) key.get("clientId"), (String) key.get("clientSecret"));
        authorize(header);
        clock.advance(Duration.ofSeconds(59));

        // a second sandbox's first check of this key writes nothing; its check a minute later writes
        // that first check, then its minute's counts and lastUsedAt, newer than anything the first sandbox holds
        var otherSandbox = aws.authorizer(countedClients, clock);
        calls.reset();
        assertEquals("Allow", effect(otherSandbox.handleRequest(Events.authorize(header), null)));
        assertEquals(0, calls.count(DYNAMO_UPDATE) + calls.count(DYNAMO_TRANSACT), "the first check writes nothing");
        clock.advance(Duration.ofSeconds(60));
        assertEquals("Allow", effect(otherSandbox.handleRequest(Events.authorize(header), null)));

        assertEquals(2, calls.count(DYNAMO_UPDATE) + calls.count(DYNAMO_TRANSACT),
                "the first check's counts, then the minute's");
        assertEquals("2026-11-27T10:01:59.000Z", Api.json(api.get.handleRequest(
                Events.get("acme-used-2", (String) key.get("id")), null)).get("lastUsedAt"));
    }

    @Test
    void authorize_shouldFailWithoutAllowOrDeny_whenDynamoDbCannotBeReached() {
        AwsSettings unreachable = new AwsSettings(aws.settings().region(), Optional.of(URI.create("http://127.0.0.1:9")),
                aws.settings().credentials(), aws.settings().tableName(), 100, Optional.empty());
        try (AwsClients clients = new AwsClients(unreachable)) {
            var cut = StreamHandlers.authorizer(new AuthorizerHandler(Keyward.verifier(unreachable, clients, clock)));

            AuthorizerFailure failure = assertThrows(AuthorizerFailure.class,
                    () -> cut.handleRequest(Events.authorize(basic(Credentials.newClientId(), Credentials.newClientSecret())), null));

            assertNotEquals("Unauthorized", failure.getMessage(), "a 500 the client retries, not a 401");
        }
    }

    @Test
    void authorizerLogs_shouldHoldNeitherSecretNorClientId() {
        Map<String, Object> key = api.createKey("acme-auth-logs", "Warehouse Dashboard");
        String clientId = (String) key.get("clientId");
        String secret = (String) key.get("clientSecret");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            var logged = aws.authorizer(countedClients, clock);
            logged.handleRequest(Events.authorize(basic(clientId, secret)), null);
            for (String refused : List.of(basic(clientId, Credentials.newClientSecret()), basic(clientId, secret.substring(1)),
                    basic(secret, clientId))) {
                AuthorizerFailure failure = assertThrows(AuthorizerFailure.class,
                        () -> logged.handleRequest(Events.authorize(refused), null));
                assertEquals("Unauthorized", failure.getMessage());
            }
        } finally {
            System.setOut(original);
        }

        String logs = captured.toString(StandardCharsets.UTF_8);
        assertTrue(logs.contains("auth_denied_wrong_secret"), logs);
        assertFalse(logs.contains(secret) || logs.contains(clientId), logs);
    }

    private String currentVaultValue(String accountId, String keyId) {
        return aws.clients().secretsManager().getSecretValue(g -> g.secretId("keyward/" + accountId + "/" + keyId)
                .versionStage("AWSCURRENT")).secretString();
    }
}
