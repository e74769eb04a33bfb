package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.aws.AwsClients;
import dev.keyward.runtime.AwsSettings;
import dev.keyward.runtime.Keyward;
import dev.keyward.it.AwsEnvironment.Aws;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AwsEnvironment.class)
class FailureHandlingIT {

    @Test
    void everyRoute_shouldAnswer503WithRetryAfter_whenAwsCannotBeReached(Aws aws) {
        // GIVEN a service whose AWS endpoint refuses connections
        AwsSettings unreachable = new AwsSettings(aws.settings().region(), Optional.of(URI.create("http://127.0.0.1:9")),
                aws.settings().credentials(), aws.settings().tableName(), 100, Optional.empty());
        try (AwsClients clients = new AwsClients(unreachable)) {
            Api api = new Api(Keyward.ports(unreachable, clients, Clock.systemUTC()));
            String keyId = "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3";

            // WHEN / THEN
            for (APIGatewayProxyResponseEvent response : new APIGatewayProxyResponseEvent[] {
                    api.create(Events.createNamed("acme", "Warehouse Dashboard")),
                    api.list.handleRequest(Events.list("acme", Map.of()), null),
                    api.get.handleRequest(Events.get("acme", keyId), null),
                    api.delete.handleRequest(Events.delete("acme", keyId), null)}) {
                BadInputIT.assertProblem(response, 503, "dependency_unavailable");
                assertEquals("1", response.getHeaders().get("Retry-After"));
            }
        }
    }

    @Test
    void logs_shouldNeverHoldASecretOrAName(Aws aws) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        String secret;
        try {
            Api api = new Api(aws.service());
            Map<String, Object> key = api.createKey("acme-logs", "Secret Project Name");
            secret = (String) key.get("clientSecret");
            api.get.handleRequest(Events.get("acme-logs", (String) key.get("id")), null);
            api.create(Events.create("acme-logs", "{\"name\":\"" + secret + "\n\"}"));
            api.create(Events.create("acme-logs", "{\"name\": \"" + secret));
            api.delete.handleRequest(Events.delete("acme-logs", (String) key.get("id")), null);
        } finally {
            System.setOut(original);
        }

        String logs = captured.toString(StandardCharsets.UTF_8);
        assertTrue(logs.contains("\"event\":\"key_created\"") && logs.contains("\"event\":\"key_deleted\""), logs);
        assertFalse(logs.contains(secret), logs);
        assertFalse(logs.contains("Secret Project Name"), logs);
    }

    @Test
    void errorBodies_shouldNeverEchoTheRequest(Aws aws) {
        String secretLike = "kw_sec_" + "Z".repeat(46);
        Api api = new Api(aws.service());

        APIGatewayProxyResponseEvent malformed = api.create(Events.create("acme-echo", "{\"name\": \"" + secretLike));
        APIGatewayProxyResponseEvent control = api.create(Events.create("acme-echo", "{\"name\":\"" + secretLike + "\\u0007\"}"));

        assertFalse(malformed.getBody().contains(secretLike), malformed.getBody());
        assertFalse(control.getBody().contains(secretLike), control.getBody());
    }
}
