package dev.keyward.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.keyward.core.UseCases;
import dev.keyward.aws.AwsClients;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.KeyWithSecret;
import dev.keyward.it.AwsEnvironment;
import dev.keyward.it.AwsEnvironment.Aws;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The client against the emulator: keys and secrets made by Keyward itself, and a protected API
 * on a loopback port that checks each request with Keyward's authorizer logic.
 */
@ExtendWith(AwsEnvironment.class)
class KeywardCredentialsIT {
    private final List<String> secretsManagerCalls = new CopyOnWriteArrayList<>();
    private final List<String> headersSeen = new CopyOnWriteArrayList<>();
    private final AtomicReference<Integer> forcedStatus = new AtomicReference<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Aws aws;
    private AwsClients counted;
    private SecretsManagerClient secretsManager;
    private UseCases keys;
    private HttpServer api;
    private URI whoami;

    @BeforeEach
    void setUp(Aws aws) throws IOException {
        this.aws = aws;
        counted = aws.clientsWith(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                secretsManagerCalls.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        });
        secretsManager = counted.secretsManager();
        keys = aws.service();
        KeyVerifier verifier = Keyward.verifier(aws.settings(), aws.clients(), Clock.systemUTC());
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/whoami", exchange -> {
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            headersSeen.add(header);
            int status = forcedStatus.get() != null ? forcedStatus.get()
                    : header == null || !verifier.verify(header).allowed() ? 401 : 200;
            byte[] body = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        api.start();
        whoami = URI.create("http://127.0.0.1:" + api.getAddress().getPort() + "/whoami");
    }

    @AfterEach
    void tearDown() {
        api.stop(0);
        counted.close();
    }

    private KeywardCredentials credentials(KeyWithSecret key) {
        return KeywardCredentials.builder().secretsManager(secretsManager)
                .accountId(key.key().accountId()).keyId(key.key().id()).build();
    }

    private HttpResponse<String> callApi(KeywardCredentials credentials) throws Exception {
        return credentials.send(http, HttpRequest.newBuilder(whoami), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void credentials_shouldReadTheKeysSecretOnce_andServeManyCallsFromIt() throws Exception {
        KeyWithSecret key = keys.creation().create("acme-client", UseCases.newKey("acme-client", "Warehouse Dashboard", null, null), null);
        KeywardCredentials credentials = credentials(key);

        for (int i = 0; i < 20; i++) {
            assertEquals(200, callApi(credentials).statusCode());
        }

        assertEquals(List.of("GetSecretValue"), secretsManagerCalls, "one read for 20 calls");
        assertEquals(key.key().clientId(), credentials.clientId());
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString(
                (key.key().clientId() + ":" + key.clientSecret()).getBytes(StandardCharsets.UTF_8)), credentials.authorizationHeader());
        assertFalse(credentials.toString().contains(key.clientSecret()));
    }

    @Test
    void credentials_shouldReadTheNewSecret_whenTheApiRefusesAfterARotation() throws Exception {
        KeyWithSecret key = keys.creation().create("acme-client", UseCases.newKey("acme-client", "3PL Integration", null, null), null);
        KeywardCredentials credentials = credentials(key);
        assertEquals(200, callApi(credentials).statusCode());
        String before = credentials.authorizationHeader();

        String rotated = keys.rotation().rotate("acme-client", key.key().id(), 0L, null).key().clientSecret();
        HttpResponse<String> response = callApi(credentials);

        assertEquals(200, response.statusCode(), "the second attempt used the new secret");
        assertEquals(List.of("GetSecretValue", "GetSecretValue"), secretsManagerCalls);
        assertEquals(3, headersSeen.size(), "one refused attempt, then one with the new secret");
        assertNotEquals(before, credentials.authorizationHeader());
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString(
                (key.key().clientId() + ":" + rotated).getBytes(StandardCharsets.UTF_8)), headersSeen.get(2));
    }

    @Test
    void credentials_shouldNotRetry_whenTheApiKeepsRefusingTheSameSecret_norReadAgainOn403() throws Exception {
        KeyWithSecret key = keys.creation().create("acme-client", UseCases.newKey("acme-client", "Billing export", null, null), null);
        KeywardCredentials credentials = credentials(key);
        forcedStatus.set(401);

        assertEquals(401, callApi(credentials).statusCode());
        assertEquals(1, headersSeen.size(), "the secret read again is the same: no second attempt");
        assertEquals(List.of("GetSecretValue", "GetSecretValue"), secretsManagerCalls);

        forcedStatus.set(403);
        assertEquals(403, callApi(credentials).statusCode());
        assertEquals(2, headersSeen.size());
        assertEquals(2, secretsManagerCalls.size(), "a 403 is a missing scope: no read");
    }

    @Test
    void credentials_shouldReadAgain_onlyOnceTheyAreOlderThanMaxAge() {
        KeyWithSecret key = keys.creation().create("acme-client", UseCases.newKey("acme-client", "Aged", null, null), null);
        MovableClock clock = new MovableClock();
        KeywardCredentials credentials = KeywardCredentials.builder().secretsManager(secretsManager)
                .accountId("acme-client").keyId(key.key().id()).maxAge(Duration.ofMinutes(5)).clock(clock).build();

        credentials.authorizationHeader();
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        credentials.authorizationHeader();
        assertEquals(1, secretsManagerCalls.size());
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        credentials.authorizationHeader();
        assertEquals(2, secretsManagerCalls.size());
    }

    @Test
    void builder_shouldRefuseIdsThatWouldNameAnotherSecret() {
        assertThrows(IllegalArgumentException.class, () -> KeywardCredentials.builder().secretsManager(secretsManager)
                .accountId("acme/other").keyId("key_x").build());
        assertThrows(IllegalArgumentException.class, () -> KeywardCredentials.builder().secretsManager(secretsManager)
                .accountId("acme").build());
    }

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
