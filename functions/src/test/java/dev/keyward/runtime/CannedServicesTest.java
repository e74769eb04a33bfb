package dev.keyward.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.handler.Functions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Priming's found-item paths through the SDK answered from memory: a key, its client record and
 * its secret are found, through the real adapters and the SDK's unmarshalling, with AWS (here an
 * address nothing listens on) never reached.
 */
class CannedServicesTest {
    private static final AwsSettings NOWHERE = new AwsSettings(Region.US_EAST_1, Optional.of(URI.create("http://127.0.0.1:9")),
            AnonymousCredentialsProvider.create(), "keys", 100, Optional.empty());
    private final CannedServices canned = new CannedServices(NOWHERE);

    @Test
    void get_shouldFindTheKey_andItsSecret_throughTheSdk() throws IOException {
        Map<String, Object> answer = call(Functions.GET_KEY.over(canned), Priming.proxyEvent("GET",
                "/accounts/{accountId}/keys/{keyId}", Map.of("accountId", "{accountId}", "keyId", canned.keyId()), null));

        assertEquals(200, answer.get("statusCode"), String.valueOf(answer));
        Map<String, Object> key = JSON.std.mapFrom(answer.get("body"));
        assertEquals(canned.keyId(), key.get("id"));
        assertTrue(String.valueOf(key.get("clientSecret")).startsWith("kw_sec_"), String.valueOf(key));
    }

    @Test
    void theAuthorizer_shouldFindTheClientRecord_andAllow_throughTheSdk() throws IOException {
        Map<String, Object> answer = call(Functions.AUTHORIZER.over(canned), Priming.authorizerEvent(canned.authorization()));

        assertTrue(String.valueOf(answer.get("policyDocument")).contains("Allow"), String.valueOf(answer));
    }

    @Test
    void listAndDelete_shouldFindTheKey_everyTime() throws IOException {
        byte[] delete = Priming.proxyEvent("DELETE", "/accounts/{accountId}/keys/{keyId}",
                Map.of("accountId", "{accountId}", "keyId", canned.keyId()), null);
        for (int round = 0; round < 2; round++) {
            assertEquals(204, call(Functions.DELETE_KEY.over(canned), delete).get("statusCode"), "round " + round);
        }
        Map<String, Object> list = call(Functions.LIST_KEYS.over(canned),
                Priming.proxyEvent("GET", "/accounts/{accountId}/keys", null));
        assertTrue(String.valueOf(list.get("body")).contains(canned.keyId()), String.valueOf(list));
    }

    @Test
    void priming_shouldBuildTheServicesFromMemoryAtItsFirstWalk_notAtInit_andOnce() {
        int[] built = new int[1];
        Priming priming = Priming.register(Functions.AUTHORIZER, new InMemoryServices(), () -> { }, () -> {
            built[0]++;
            return new CannedServices(NOWHERE);
        });
        assertEquals(0, built[0], "a sandbox without SnapStart never pays for it");

        assertTrue(priming.prime());

        assertEquals(1, built[0]);
    }

    private static Map<String, Object> call(RequestStreamHandler handler, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return JSON.std.mapFrom(out.toString(StandardCharsets.UTF_8));
    }
}
