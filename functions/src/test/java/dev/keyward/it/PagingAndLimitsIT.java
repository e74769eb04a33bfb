package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.aws.DynamoKeyStore;
import dev.keyward.core.ApiKey;
import dev.keyward.core.ChangeEvent;
import dev.keyward.core.ChangeEvents;
import dev.keyward.core.EventType;
import dev.keyward.core.ErrorCode;
import dev.keyward.core.KeyStore;
import dev.keyward.core.KeywardException;
import dev.keyward.it.AwsEnvironment.Aws;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

@ExtendWith(AwsEnvironment.class)
class PagingAndLimitsIT {

    @Test
    void list_shouldWalkEveryKeyOnceNewestFirst_byCursor(Aws aws) {
        Api api = new Api(aws.service());
        List<Object> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(api.createKey("acme-pages", "Integration " + i).get("id"));
        }
        api.createKey("acme-pages-neighbour", "not ours");

        List<Object> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        Map<String, String> query = new HashMap<>(Map.of("limit", "2"));
        while (true) {
            APIGatewayProxyResponseEvent page = api.list.handleRequest(Events.list("acme-pages", query), null);
            assertEquals(200, page.getStatusCode(), page.getBody());
            List<Map<String, Object>> keys = KeyLifecycleIT.keys(page);
            pageSizes.add(keys.size());
            keys.forEach(k -> seen.add(k.get("id")));
            Object cursor = Api.json(page).get("nextCursor");
            if (cursor == null) {
                break;
            }
            query.put("cursor", (String) cursor);
        }

        Collections.reverse(created);
        assertEquals(created, seen);
        assertEquals(List.of(2, 2, 1), pageSizes, "no empty last page");
    }

    @Test
    void list_shouldEndWithoutCursor_whenThePageIsExactlyFull(Aws aws) {
        Api api = new Api(aws.service());
        api.createKey("acme-exact", "one");
        api.createKey("acme-exact", "two");

        Map<String, Object> page = Api.json(api.list.handleRequest(Events.list("acme-exact", Map.of("limit", "2")), null));

        assertEquals(2, ((List<?>) page.get("keys")).size());
        assertNull(page.get("nextCursor"));
    }

    @Test
    void create_shouldAnswer409AtTheLimit_andLeaveNoSecretBehind(Aws aws) {
        Api api = new Api(aws.service(2));
        api.createKey("acme-full", "one");
        api.createKey("acme-full", "two");
        int secretsBefore = secretCount(aws);

        APIGatewayProxyResponseEvent third = api.create(Events.createNamed("acme-full", "three"));

        BadInputIT.assertProblem(third, 409, "key_limit_reached");
        assertEquals(secretsBefore, secretCount(aws));
        // deleting one makes room again
        String first = (String) KeyLifecycleIT.keys(api.list.handleRequest(Events.list("acme-full", Map.of()), null))
                .get(0).get("id");
        assertEquals(204, api.delete.handleRequest(Events.delete("acme-full", first), null).getStatusCode());
        assertEquals(201, api.create(Events.createNamed("acme-full", "three")).getStatusCode());
    }

    @Test
    void insert_shouldBeRefusedByTheTransaction_whenTheCountIsAtTheLimit(Aws aws) {
        // the service checks the count first; this is the guard for two creates racing past that check
        DynamoKeyStore store = new DynamoKeyStore(aws.clients().dynamoDb(), aws.settings().tableName());
        ApiKey first = key("acme-race", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3", "kw_cid_AAAAAAAAAAAAAAAAAAAAAA");
        store.insert(first, "h1", "arn:1", 1, created(first));

        ApiKey second = key("acme-race", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V4", "kw_cid_BBBBBBBBBBBBBBBBBBBBBB");
        KeyStore.Insert refused = store.insert(second, "h2", "arn:2", 1, created(second));

        assertEquals(KeyStore.Insert.LIMIT_REACHED, refused);
        assertTrue(store.find("acme-race", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V4").isEmpty());
        assertEquals(1, store.count("acme-race"));
        store.delete(store.find("acme-race", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3").orElseThrow(), Instant.now(), List.of());
        assertEquals(0, store.count("acme-race"));
    }

    private static ChangeEvent created(ApiKey key) {
        return new ChangeEvents(java.time.Clock.systemUTC()).key(EventType.KEY_CREATED, key, ChangeEvent.Actor.admin(null),
                Map.of());
    }

    private static ApiKey key(String accountId, String keyId, String clientId) {
        return new ApiKey(accountId, keyId, "race", clientId, Instant.parse("2026-11-27T10:00:00Z"), null, null);
    }

    private static int secretCount(Aws aws) {
        return (int) aws.clients().secretsManager().listSecretsPaginator(l -> l.includePlannedDeletion(true)).stream()
                .flatMap(p -> p.secretList().stream()).map(SecretListEntry::name).count();
    }
}
