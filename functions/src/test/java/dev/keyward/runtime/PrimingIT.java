package dev.keyward.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.aws.AwsClients;
import dev.keyward.core.KeyCreation;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.KeyWithSecret;
import dev.keyward.core.NewKey;
import dev.keyward.core.KeyPriming;
import dev.keyward.core.EventLog;
import dev.keyward.handler.AuthorizerHandler;
import dev.keyward.handler.CreateKeyHandler;
import dev.keyward.handler.DeleteKeyHandler;
import dev.keyward.handler.GetKeyHandler;
import dev.keyward.handler.UpdateKeyHandler;
import dev.keyward.handler.RotateKeyHandler;
import dev.keyward.it.AwsEnvironment;
import dev.keyward.it.AwsEnvironment.Aws;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Priming walks each function's AWS calls and its handler before a snapshot, and writes nothing. */
@ExtendWith(AwsEnvironment.class)
class PrimingIT {

    @Test
    void prime_walksEveryFunctionsCallsAndHandler_andWritesNothing(Aws aws) {
        List<String> operations = new CopyOnWriteArrayList<>();
        List<String> log = new ArrayList<>();
        try (AwsClients clients = aws.clientsWith(recordingOperations(operations))) {
            KeyPorts service = Keyward.ports(aws.settings(), clients, Clock.systemUTC());
            Map<String, Integer> before = contents(aws);
            List<Priming> primings = List.of(
                    priming(new CreateKeyHandler(service), Priming.proxyEvent("POST", "/accounts/{accountId}/keys",
                            Map.of("accountId", "{accountId}"), "{\"name\":\"\"}"), log, new KeyPriming(service)::primeCreate,
                            new RefusedWrites(clients.dynamoDb(), aws.settings().tableName())),
                    priming(new DeleteKeyHandler(service), keyEvent("DELETE", ""), log, new KeyPriming(service)::primeVault),
                    priming(new UpdateKeyHandler(service), Priming.proxyEvent("PATCH", "/accounts/{accountId}/keys/{keyId}",
                            Map.of("accountId", "{accountId}", "keyId", "{keyId}"), "{\"name\":\"Priming\"}"), log),
                    priming(new RotateKeyHandler(service), Priming.proxyEvent("POST", "/accounts/{accountId}/keys/{keyId}/rotate",
                            Map.of("accountId", "{accountId}", "keyId", "{keyId}"), "{\"graceSeconds\":0}"), log,
                            new KeyPriming(service)::primeVault),
                    priming(new GetKeyHandler(service), keyEvent("GET", ""), log, new KeyPriming(service)::primeVault),
                    priming(new AuthorizerHandler(Keyward.verifier(aws.settings(), clients, Clock.systemUTC())),
                            Priming.authorizerEvent(), log));

            for (Priming priming : primings) {
                assertTrue(priming.prime(), priming.function());
            }

            assertEquals(before, contents(aws), "priming wrote nothing");
            assertEquals(List.of("primed", "primed", "primed", "primed", "primed", "primed"), log);
            for (String operation : List.of("DynamoDb.GetItem", "DynamoDb.UpdateItem", "DynamoDb.PutItem",
                    "DynamoDb.DeleteItem", "DynamoDb.TransactWriteItems",
                    "SecretsManager.GetSecretValue")) {
                assertTrue(operations.contains(operation), operation + " primed: " + operations);
            }
        }
    }

    @Test
    void theAuthorizersFirstCheckAfterPriming_readsOnce_andWritesNothing(Aws aws) {
        List<String> operations = new CopyOnWriteArrayList<>();
        try (AwsClients clients = aws.clientsWith(recordingOperations(operations))) {
            KeyPorts service = Keyward.ports(aws.settings(), clients, Clock.systemUTC());
            KeyWithSecret key = new KeyCreation(service).create("acme-primed",
                    new NewKey("Warehouse Dashboard", null, new java.util.TreeSet<>()), null);
            KeyVerifier verifier = Keyward.verifier(aws.settings(), clients, Clock.systemUTC());
            assertTrue(priming(new AuthorizerHandler(verifier), Priming.authorizerEvent(), new ArrayList<>(),
                    new RefusedWrites(clients.dynamoDb(), aws.settings().tableName())).prime());
            operations.clear();

            String credentials = key.key().clientId() + ":" + key.clientSecret();
            assertTrue(verifier.verify("Basic " + Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8))).allowed());

            assertEquals(List.of("DynamoDb.GetItem"), operations, "the first check after priming");
        }
    }

    @Test
    void prime_shouldNeverThrow_whenAwsCannotBeReached(Aws aws) {
        AwsSettings unreachable = new AwsSettings(aws.settings().region(), Optional.of(URI.create("http://127.0.0.1:9")),
                aws.settings().credentials(), aws.settings().tableName(), 100, Optional.empty());
        List<String> log = new ArrayList<>();
        try (AwsClients clients = new AwsClients(unreachable)) {
            KeyPorts service = Keyward.ports(unreachable, clients, Clock.systemUTC());

            assertFalse(priming(new GetKeyHandler(service), keyEvent("GET", ""), log, new KeyPriming(service)::primeVault).prime());

            assertEquals(List.of("priming_failed"), log);
        }
    }

    @Test
    void register_holdsThePrimingForTheSandboxsLife_whileTheRuntimeHoldsItWeakly(Aws aws) {
        Priming registered = Priming.register("test", (in, out, context) -> { }, keyEvent("GET", ""));
        System.gc();
        assertTrue(Priming.registered().contains(registered));
    }

    private static Priming priming(RequestStreamHandler handler, byte[] event, List<String> log, Runnable... reads) {
        return new Priming(handler.getClass().getSimpleName(), handler, event, List.of(reads), recording(log));
    }

    private static byte[] keyEvent(String method, String suffix) {
        return Priming.proxyEvent(method, "/accounts/{accountId}/keys/{keyId}" + suffix,
                Map.of("accountId", "{accountId}", "keyId", "{keyId}"), null);
    }

    /** Items in the table and secrets in Secrets Manager. */
    private static Map<String, Integer> contents(Aws aws) {
        return Map.of("items", aws.clients().dynamoDb().scanPaginator(s -> s.tableName(aws.settings().tableName()))
                        .items().stream().mapToInt(i -> 1).sum(),
                "secrets", aws.clients().secretsManager().listSecretsPaginator(l -> { }).stream().flatMap(p -> p.secretList().stream())
                        .mapToInt(s -> 1).sum());
    }

    private static ExecutionInterceptor recordingOperations(List<String> operations) {
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                operations.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                        + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        };
    }

    private static EventLog recording(List<String> lines) {
        return new EventLog() {
            @Override
            public void info(String event, String accountId, String keyId) {
                lines.add(event);
            }

            @Override
            public void warn(String event, String accountId, String keyId, Throwable cause) {
                lines.add(event);
            }
        };
    }
}
