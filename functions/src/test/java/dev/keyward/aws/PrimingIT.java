package dev.keyward.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.core.EventLog;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import dev.keyward.it.AwsEnvironment;
import dev.keyward.it.AwsEnvironment.Aws;

@ExtendWith(AwsEnvironment.class)
class PrimingIT {

    @Test
    void prime_shouldMakeOneReadThroughTheSdk(Aws aws) {
        AtomicInteger requests = new AtomicInteger();
        List<String> log = new ArrayList<>();
        try (var dynamoDb = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                .region(aws.settings().region()).credentialsProvider(aws.settings().credentials())
                .endpointOverride(aws.settings().endpoint().orElseThrow())
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        requests.incrementAndGet();
                    }
                })).build()) {
            var service = new dev.keyward.core.KeyService(new DynamoKeyStore(dynamoDb, aws.settings().tableName()),
                    new DynamoClientStore(dynamoDb, aws.settings().tableName()),
                    new SecretsManagerVault(aws.clients().secretsManager(), Optional.empty()),
                    new DynamoAuditTrail(dynamoDb, aws.settings().tableName()),
                    Clock.systemUTC(), 100, recording(log));

            assertTrue(new Priming(service, recording(log)).prime());

            assertEquals(1, requests.get());
            assertEquals(List.of("primed"), log);
        }
    }

    @Test
    void prime_shouldNeverThrow_whenAwsCannotBeReached(Aws aws) {
        AwsSettings unreachable = new AwsSettings(aws.settings().region(), Optional.of(URI.create("http://127.0.0.1:9")),
                aws.settings().credentials(), aws.settings().tableName(), 100, Optional.empty());
        List<String> log = new ArrayList<>();
        try (AwsClients clients = new AwsClients(unreachable)) {
            Priming priming = new Priming(Keyward.service(unreachable, clients, Clock.systemUTC()), recording(log));

            assertFalse(priming.prime());

            assertEquals(List.of("priming_failed"), log);
        }
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
