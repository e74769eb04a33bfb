package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.core.UseCases;
import dev.keyward.aws.DynamoAuditTrail;
import dev.keyward.aws.DynamoClientStore;
import dev.keyward.aws.DynamoKeyStore;
import dev.keyward.aws.SecretsManagerVault;
import dev.keyward.core.DependencyUnavailableException;
import dev.keyward.core.EventLog;
import dev.keyward.core.SecretVault;
import dev.keyward.core.Credentials;
import dev.keyward.core.KeyIds;
import dev.keyward.it.AwsEnvironment.Aws;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/** The help article's story, end to end through the handlers, the SDK and the emulator. */
@ExtendWith(AwsEnvironment.class)
class KeyLifecycleIT {
    private Aws aws;
    private Api api;

    @BeforeEach
    void setUp(Aws aws) {
        this.aws = aws;
        this.api = new Api(aws.service());
    }

    @Test
    void createListEditDelete_followsTheHelpArticle() {
        // GIVEN two keys, named for what they are used for
        Map<String, Object> dashboard = api.createKey("acme-story", "Warehouse Dashboard");
        Map<String, Object> threePl = api.createKey("acme-story", "3PL Integration");

        // THEN create answered everything the admin needs, in the documented formats
        assertTrue(KeyIds.isWellFormed((String) dashboard.get("id")), "id " + dashboard.get("id"));
        assertEquals("Warehouse Dashboard", dashboard.get("name"));
        assertTrue(Credentials.isWellFormedClientId((String) dashboard.get("clientId")));
        assertTrue(Credentials.isWellFormedSecret((String) dashboard.get("clientSecret")));
        Instant.parse((String) dashboard.get("createdAt"));

        // WHEN the admin lists the account's keys
        APIGatewayProxyResponseEvent listed = api.list.handleRequest(Events.list("acme-story", Map.of()), null);

        // THEN both are there, newest first, and no secret is shown
        assertEquals(200, listed.getStatusCode());
        assertFalse(listed.getBody().contains("clientSecret"), listed.getBody());
        assertFalse(listed.getBody().contains((String) dashboard.get("clientSecret")));
        List<Map<String, Object>> keys = keys(listed);
        assertEquals(List.of(threePl.get("id"), dashboard.get("id")), keys.stream().map(k -> k.get("id")).toList());
        assertEquals(dashboard.get("clientId"), keys.get(1).get("clientId"));
        assertTrue(Api.json(listed).containsKey("nextCursor"), "the last page says so: " + listed.getBody());
        assertNull(Api.json(listed).get("nextCursor"));

        // WHEN the admin clicks Edit on the first key
        APIGatewayProxyResponseEvent edit = api.get.handleRequest(Events.get("acme-story", (String) dashboard.get("id")), null);

        // THEN Client ID and Client Secret are the ones create gave
        assertEquals(200, edit.getStatusCode(), edit.getBody());
        Map<String, Object> shown = Api.json(edit);
        assertEquals(dashboard.get("clientId"), shown.get("clientId"));
        assertEquals(dashboard.get("clientSecret"), shown.get("clientSecret"));
        assertEquals("no-store", edit.getHeaders().get("Cache-Control"));

        // WHEN the admin deletes it
        String keyId = (String) dashboard.get("id");
        APIGatewayProxyResponseEvent deleted = api.delete.handleRequest(Events.delete("acme-story", keyId), null);

        // THEN it is gone for good: no Edit view, no secret, no client lookup
        assertEquals(204, deleted.getStatusCode());
        assertNull(deleted.getBody());
        assertEquals(404, api.get.handleRequest(Events.get("acme-story", keyId), null).getStatusCode());
        assertFalse(secretNames(true).contains(SecretsManagerVault.secretName("acme-story", keyId)),
                "the secret must be deleted without a recovery window");
        assertTrue(clientItem((String) dashboard.get("clientId")).isEmpty(), "client lookup must be gone");
        assertEquals(List.of(threePl.get("id")),
                keys(api.list.handleRequest(Events.list("acme-story", Map.of()), null)).stream().map(k -> k.get("id")).toList());

        // AND a new key, even with the same name, can be created at once
        Map<String, Object> replacement = api.createKey("acme-story", "Warehouse Dashboard");
        assertNotEquals(dashboard.get("id"), replacement.get("id"));
        assertNotEquals(dashboard.get("clientSecret"), replacement.get("clientSecret"));
    }

    @Test
    void create_storesTheSecretTaggedAndTheClientLookupHashed() {
        Map<String, Object> key = api.createKey("acme-storage", "Custom Reporting Tool");
        String name = SecretsManagerVault.secretName("acme-storage", (String) key.get("id"));

        SecretListEntry secret = aws.clients().secretsManager().listSecretsPaginator(l -> l.includePlannedDeletion(true)).stream().flatMap(p -> p.secretList().stream())
                .filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        assertTrue(secret.tags().stream().anyMatch(t -> t.key().equals("keyward:keyId") && t.value().equals(key.get("id"))));
        assertTrue(secret.tags().stream().anyMatch(t -> t.key().equals("keyward:accountId") && t.value().equals("acme-storage")));
        String stored = aws.clients().secretsManager().getSecretValue(g -> g.secretId(name)).secretString();
        assertTrue(stored.contains((String) key.get("clientSecret")) && stored.contains((String) key.get("clientId")));

        Map<String, AttributeValue> client = clientItem((String) key.get("clientId"));
        assertEquals("acme-storage", client.get("accountId").s());
        assertEquals(key.get("id"), client.get("keyId").s());
        assertEquals(Credentials.hash((String) key.get("clientSecret")), client.get("secretHash").s());
        assertFalse(client.toString().contains((String) key.get("clientSecret")), "only the hash is stored");
    }

    @Test
    void create_answersLocationOfTheNewKeyUnderTheStage() {
        APIGatewayProxyResponseEvent created = api.create(Events.createNamed("acme-location", "Warehouse Dashboard"));

        assertEquals(201, created.getStatusCode());
        assertEquals("/prod/accounts/acme-location/keys/" + Api.json(created).get("id"), created.getHeaders().get("Location"));
        assertEquals("application/json", created.getHeaders().get("Content-Type"));
    }

    @Test
    void delete_twice_answers404TheSecondTime() {
        String keyId = (String) api.createKey("acme-twice", "3PL Integration").get("id");

        assertEquals(204, api.delete.handleRequest(Events.delete("acme-twice", keyId), null).getStatusCode());
        assertEquals(404, api.delete.handleRequest(Events.delete("acme-twice", keyId), null).getStatusCode());
    }

    @Test
    void sweep_shouldDestroyWhatAFailedDeleteOrACrashedCreateLeftBehind_andKeepLiveKeys() {
        // GIVEN a live key
        Map<String, Object> live = api.createKey("acme-sweep", "Warehouse Dashboard");
        // AND a deleted key whose DeleteSecret failed (Secrets Manager down for that one call)
        SecretsManagerVault realVault = new SecretsManagerVault(aws.clients().secretsManager(), java.util.Optional.empty());
        DynamoKeyStore store = new DynamoKeyStore(aws.clients().dynamoDb(), aws.settings().tableName());
        SecretVault failingDestroy = new SecretVault() {
            public StoredSecret store(String a, String k, String c, String s, String r) { return realVault.store(a, k, c, s, r); }
            public java.util.Optional<String> read(String ref) { return realVault.read(ref); }
            public java.util.Optional<String> readVersion(String ref, String r) { return realVault.readVersion(ref, r); }
            public void replace(String ref, String c, String s, String r) { realVault.replace(ref, c, s, r); }
            public void destroy(String a, String k) { throw new DependencyUnavailableException("Secrets Manager", null); }
        };
        UseCases outage = new UseCases(store, new DynamoClientStore(aws.clients().dynamoDb(), aws.settings().tableName()),
                failingDestroy, new DynamoAuditTrail(aws.clients().dynamoDb(), aws.settings().tableName()),
                java.time.Clock.systemUTC(), 100, EventLog.NONE);
        String deleted = outage.creation().create("acme-sweep", UseCases.newKey("acme-sweep", "3PL Integration", null, null), null).key().id();
        outage.deletion().delete("acme-sweep", deleted, null);
        assertTrue(secretNames(true).contains(SecretsManagerVault.secretName("acme-sweep", deleted)));
        // AND a create that crashed after storing its secret, before saving its key
        String crashed = "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3";
        store.noteSecret("acme-sweep", crashed, java.time.Instant.now());
        realVault.store("acme-sweep", crashed, "kw_cid_AAAAAAAAAAAAAAAAAAAAAA", "kw_sec_orphan", crashed);

        // WHEN the scheduled sweep runs (no minimum age here, so the fresh notes count)
        int destroyed = aws.service().housekeeping().sweepOrphanSecrets(java.time.Duration.ZERO).destroyed();

        // THEN both orphans are gone, nothing stays noted, and the live key still works
        assertEquals(2, destroyed);
        List<String> names = secretNames(true);
        assertFalse(names.contains(SecretsManagerVault.secretName("acme-sweep", deleted)));
        assertFalse(names.contains(SecretsManagerVault.secretName("acme-sweep", crashed)));
        assertTrue(store.secretNotes(java.time.Instant.now().plusSeconds(1)).isEmpty());
        assertEquals(200, api.get.handleRequest(Events.get("acme-sweep", (String) live.get("id")), null).getStatusCode());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> keys(APIGatewayProxyResponseEvent listed) {
        return (List<Map<String, Object>>) Api.json(listed).get("keys");
    }

    private List<String> secretNames(boolean includePlannedDeletion) {
        return aws.clients().secretsManager().listSecretsPaginator(l -> l.includePlannedDeletion(includePlannedDeletion))
                .stream().flatMap(page -> page.secretList().stream()).map(SecretListEntry::name).toList();
    }

    private Map<String, AttributeValue> clientItem(String clientId) {
        return aws.clients().dynamoDb().getItem(g -> g.tableName(aws.settings().tableName()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("CLIENT#" + clientId), "sk", AttributeValue.fromS("CLIENT")))).item();
    }
}
