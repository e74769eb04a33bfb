package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.UseCases;
import dev.keyward.core.TestClock;
import dev.keyward.handler.HousekeepingHandler;
import dev.keyward.it.AwsEnvironment.Aws;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The account's opt-in deletion of expired keys, through the settings routes and the hourly
 * sweep's handler, over the SDK against the emulator.
 */
@ExtendWith(AwsEnvironment.class)
class ExpiredKeyDeletionIT {
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));
    private Aws aws;
    private UseCases service;
    private Api api;

    @BeforeEach
    void setUp(Aws aws) {
        this.aws = aws;
        service = aws.service(clock);
        api = new Api(service);
    }

    private Map<String, Object> sweep() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new HousekeepingHandler(service.ports()).handleRequest(
                new ByteArrayInputStream("{\"source\":\"aws.events\"}".getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.std.mapFrom(out.toByteArray());
    }

    private Map<String, Object> create(String accountId, String expiresAt) {
        APIGatewayProxyResponseEvent created = api.create(Events.create(accountId,
                "{\"name\":\"x\",\"expiresAt\":\"" + expiresAt + "\"}"));
        assertEquals(201, created.getStatusCode(), created.getBody());
        return Api.json(created);
    }

    private APIGatewayProxyResponseEvent setRetention(String accountId, String days) {
        return api.updateSettings.handleRequest(Events.updateSettings(accountId, "{\"expiredKeyRetentionDays\":" + days + "}"), null);
    }

    @Test
    void settings_shouldDefaultToKeepingExpiredKeys_andTakeOneTo3650DaysOrNull() {
        assertEquals(Map.of("requireScopes", false), withoutNulls(Api.json(api.getSettings.handleRequest(Events.getSettings("acme-set"), null))));
        assertTrue(Api.json(api.getSettings.handleRequest(Events.getSettings("acme-set"), null)).containsKey("expiredKeyRetentionDays"));

        APIGatewayProxyResponseEvent set = setRetention("acme-set", "30");
        assertEquals(200, set.getStatusCode(), set.getBody());
        assertEquals(Map.of("expiredKeyRetentionDays", 30, "requireScopes", false), withoutNulls(Api.json(set)));
        assertEquals(Map.of("expiredKeyRetentionDays", 30, "requireScopes", false),
                withoutNulls(Api.json(api.getSettings.handleRequest(Events.getSettings("acme-set"), null))));

        for (String bad : List.of("0", "3651", "\"30\"", "1.5")) {
            APIGatewayProxyResponseEvent refused = setRetention("acme-set", bad);
            assertEquals(400, refused.getStatusCode(), bad);
            assertEquals("invalid_retention_days", Api.json(refused).get("code"));
        }
        APIGatewayProxyResponseEvent unknown = api.updateSettings.handleRequest(Events.updateSettings("acme-set", "{\"leak\":1}"), null);
        assertEquals("unknown_field", Api.json(unknown).get("code"));

        assertEquals(200, setRetention("acme-set", "null").getStatusCode());
        assertEquals(Map.of("requireScopes", false), withoutNulls(Api.json(api.getSettings.handleRequest(Events.getSettings("acme-set"), null))));
    }

    @Test
    void sweep_shouldDeleteAKeyExpiredForTheRetentionPeriod_likeAnAdminsDelete_recordedAsSystem() throws IOException {
        assertEquals(200, setRetention("acme-sweep", "7").getStatusCode());
        Map<String, Object> key = create("acme-sweep", "2026-11-28T10:00:00Z");
        Map<String, Object> kept = create("acme-keep", "2026-11-28T10:00:00Z"); // that account did not opt in
        String keyId = (String) key.get("id");

        clock.advance(Duration.ofDays(8).minusSeconds(1));
        assertEquals(0, sweep().get("expiredDeleted"), "expired 7 days minus a second ago");

        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, sweep().get("expiredDeleted"));

        assertEquals(404, api.get.handleRequest(Events.get("acme-sweep", keyId), null).getStatusCode());
        assertTrue(item("CLIENT#" + key.get("clientId"), "CLIENT").isEmpty(), "its Client ID is gone");
        Map<String, AttributeValue> hash = item("SECRET_HASH#" + dev.keyward.core.Credentials.hash((String) key.get("clientSecret")),
                "SECRET_HASH");
        assertTrue(hash.containsKey("expiresAt"), "its secret's lookup is retired, as an admin's delete retires it");
        assertThrows(ResourceNotFoundException.class, () -> aws.clients().secretsManager()
                .getSecretValue(g -> g.secretId("keyward/acme-sweep/" + keyId)), "its secret is gone");
        assertEquals("0", item("ACCOUNT#acme-sweep", "META").get("keyCount").n(), "it no longer counts");
        Map<?, ?> newest = (Map<?, ?>) ((List<?>) Api.json(api.audit.handleRequest(Events.audit("acme-sweep", Map.of()), null))
                .get("events")).get(0);
        assertEquals("key.deleted", newest.get("action"));
        assertEquals(keyId, newest.get("keyId"));
        assertEquals("system", newest.get("caller"));

        assertEquals(200, api.get.handleRequest(Events.get("acme-keep", (String) kept.get("id")), null).getStatusCode());
        assertEquals(0, sweep().get("expiredDeleted"));
    }

    @Test
    void sweep_shouldKeepAKeyWhoseExpiryChanged_afterTheIndexListedIt() {
        assertEquals(200, setRetention("acme-race", "1").getStatusCode());
        Map<String, Object> key = create("acme-race", "2026-11-28T10:00:00Z");
        String keyId = (String) key.get("id");
        clock.advance(Duration.ofDays(3));
        dev.keyward.aws.DynamoKeyStore store = new dev.keyward.aws.DynamoKeyStore(aws.clients().dynamoDb(), aws.settings().tableName());
        dev.keyward.core.StoredKey asTheSweepReadIt = store.find("acme-race", keyId).orElseThrow();
        // an admin extends the key between the sweep's read and its delete
        api.rename.handleRequest(Events.rename("acme-race", keyId, "{\"expiresAt\":\"2027-01-01T00:00:00Z\"}"), null);

        boolean deleted = store.deleteExpired(asTheSweepReadIt, clock.instant(), new dev.keyward.core.ChangeEvents(clock)
                .key(dev.keyward.core.EventType.KEY_DELETED, asTheSweepReadIt.key(), dev.keyward.core.ChangeEvent.Actor.system(),
                        java.util.Map.of("reason", "expired")));

        assertFalse(deleted, "the condition on keyExpiresAt refuses the delete");
        assertEquals(200, api.get.handleRequest(Events.get("acme-race", keyId), null).getStatusCode());
        assertFalse(item("CLIENT#" + key.get("clientId"), "CLIENT").isEmpty());
    }

    private Map<String, AttributeValue> item(String pk, String sk) {
        return aws.clients().dynamoDb().getItem(g -> g.tableName(aws.settings().tableName()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> json) {
        json.values().removeIf(java.util.Objects::isNull);
        return json;
    }
}
