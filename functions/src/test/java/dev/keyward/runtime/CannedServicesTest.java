package dev.keyward.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.handler.Functions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Priming's found-item paths through the SDK answered from memory: a key, its client record and
 * its secret are found, through the real adapters and the SDK's unmarshalling, with AWS (here an
 * address nothing listens on) never reached.
 */
class CannedServicesTest {
    private final List<CannedServices> opened = new ArrayList<>();

    private static final AwsSettings NOWHERE = new AwsSettings(Region.US_EAST_1, Optional.of(URI.create("http://127.0.0.1:9")),
            AnonymousCredentialsProvider.create(), "keys", 100, Optional.empty());
    @ParameterizedTest(name = "over HTTP: {0}")
    @ValueSource(booleans = {true, false})
    void get_shouldFindTheKey_andItsSecret_throughTheSdk(boolean overHttp) throws IOException {
        CannedServices canned = canned(overHttp);
        Map<String, Object> answer = call(Functions.GET_KEY.over(canned), Priming.proxyEvent("GET",
                "/accounts/{accountId}/keys/{keyId}", Map.of("accountId", "{accountId}", "keyId", canned.keyId()), null));

        assertEquals(200, answer.get("statusCode"), String.valueOf(answer));
        Map<String, Object> key = JSON.std.mapFrom(answer.get("body"));
        assertEquals(canned.keyId(), key.get("id"));
        assertTrue(String.valueOf(key.get("clientSecret")).startsWith("kw_sec_"), String.valueOf(key));
    }

    @ParameterizedTest(name = "over HTTP: {0}")
    @ValueSource(booleans = {true, false})
    void theAuthorizer_shouldFindTheClientRecord_andAllow_throughTheSdk(boolean overHttp) throws IOException {
        CannedServices canned = canned(overHttp);
        Map<String, Object> answer = call(Functions.AUTHORIZER.over(canned), Priming.authorizerEvent(canned.authorization()));

        assertTrue(String.valueOf(answer.get("policyDocument")).contains("Allow"), String.valueOf(answer));
    }

    @ParameterizedTest(name = "over HTTP: {0}")
    @ValueSource(booleans = {true, false})
    void listAndDelete_shouldFindTheKey_everyTime(boolean overHttp) throws IOException {
        CannedServices canned = canned(overHttp);
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
        List<CannedServices> built = new ArrayList<>();
        Priming priming = Priming.register(Functions.AUTHORIZER, new InMemoryServices(), () -> { }, () -> {
            CannedServices canned = new CannedServices(NOWHERE);
            built.add(canned);
            return canned;
        });
        assertEquals(0, built.size(), "a sandbox without SnapStart never pays for it");

        assertTrue(priming.prime());

        assertEquals(1, built.size());
        URI served = built.get(0).loopbackEndpoint().orElseThrow();
        assertThrows(ConnectException.class, () -> connect(served), "no port is left open in the snapshot");
    }

    @Test
    void theAnswersOverHttp_shouldComeFromALoopbackPort_closedWithTheServices() throws IOException {
        CannedServices canned = canned(true);
        URI served = canned.loopbackEndpoint().orElseThrow();
        assertEquals("127.0.0.1", served.getHost());
        connect(served);

        canned.close();

        assertThrows(ConnectException.class, () -> connect(served));
    }

    @Test
    void theAnswers_shouldComeOverHttp_whereTheJdksServerIsAtHand() {
        assertTrue(CannedServices.httpServerAtHand(), "this JDK has jdk.httpserver");
        try (CannedServices canned = new CannedServices(NOWHERE)) {
            assertTrue(canned.loopbackEndpoint().isPresent());
        }
    }

    private CannedServices canned(boolean overHttp) {
        CannedServices canned = new CannedServices(NOWHERE, overHttp);
        opened.add(canned);
        return canned;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(CannedServices::close);
    }

    private static void connect(URI endpoint) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 1000);
        }
    }

    private static Map<String, Object> call(RequestStreamHandler handler, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return JSON.std.mapFrom(out.toString(StandardCharsets.UTF_8));
    }
}
