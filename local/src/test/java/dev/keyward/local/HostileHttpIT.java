package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.runtime.Keyward;
import dev.keyward.it.AwsEnvironment;
import dev.keyward.it.AwsEnvironment.Aws;
import dev.keyward.it.HostileRequests;
import dev.keyward.it.HostileRequests.Hostile;
import dev.keyward.it.StoredState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HostileRequests} sent over HTTP to the local API (its server, gateway, the real handlers
 * and the key authorizer, the emulator behind them), and the requests only an HTTP server sees:
 * each answered with its problem+json 4xx, no pasted secret repeated, nothing stored.
 */
@ExtendWith(AwsEnvironment.class)
class HostileHttpIT {
    private static LocalServer server;
    private static String keyId;
    private static Aws aws;

    /** One table and one server for the whole table of cases, holding one key that no case may change. */
    @BeforeAll
    static void setUp(Aws classAws) throws IOException {
        aws = classAws;
        Gateway gateway = new Gateway(Replies.deployed(), Replies.EVENTS, LocalApi.handlersOver(dev.keyward.runtime.Wiring.of(aws.service().ports())),
                LocalApi.authorizersOver(dev.keyward.runtime.Wiring.of(aws.service().ports()).withVerifier(Keyward.verifier(aws.settings(), aws.clients(), Clock.systemUTC()),
                        LocalApi.routeScopes(java.nio.file.Path.of("../infra/template.yaml"), java.util.Map.of()))));
        server = new LocalServer(gateway, new Console(null), "127.0.0.1", 0, 32, false);
        server.start();
        RawHttp.Answer created = RawHttp.exchange(server.port(), RawHttp.concat(RawHttp.request("POST",
                "/accounts/" + HostileRequests.ACCOUNT + "/keys", "Content-Type: application/json", "Content-Length: 19"),
                "{\"name\":\"Original\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(201, created.status(), created.body());
        keyId = (String) created.json().get("id");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** A request as bytes, and the answer it must get. */
    record Case(String what, byte[] request, int status, String code) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Object> cases() {
        List<Object> cases = new ArrayList<>(HostileRequests.all());
        String keys = "/accounts/" + HostileRequests.ACCOUNT + "/keys";
        cases.add(new Case("path with %ZZ", RawHttp.request("GET", "/accounts/%ZZ/keys"), 400, "malformed_request"));
        cases.add(new Case("path ending in a lone %", RawHttp.request("GET", keys + "/%"), 400, "malformed_request"));
        cases.add(new Case("query with %G0", RawHttp.request("GET", keys + "?cursor=%G0"), 400, "malformed_request"));
        cases.add(new Case("unknown route holding a secret", RawHttp.request("GET", "/" + HostileRequests.PASTED),
                404, "route_not_found"));
        cases.add(new Case("path with a space", "GET /accounts/a b/keys HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1), 400, "malformed_request"));
        cases.add(new Case("absolute-form target", RawHttp.request("GET", "http://evil.example" + keys).clone(),
                400, "malformed_request"));
        cases.add(new Case("method TRACE", RawHttp.request("TRACE", keys), 405, "method_not_allowed"));
        cases.add(new Case("body over 10 MiB", RawHttp.concat(RawHttp.request("POST", keys, "Content-Type: application/json",
                "Content-Length: " + (RequestReader.MAX_REQUEST_BYTES + 1)), new byte[RequestReader.MAX_REQUEST_BYTES + 1]),
                413, "payload_too_large"));
        cases.add(new Case("a 1 MiB header", RawHttp.request("GET", keys, "X-Big: " + "a".repeat(1 << 20)),
                431, "header_fields_too_large"));
        String[] many = new String[2000];
        for (int i = 0; i < many.length; i++) {
            many[i] = "X-H" + i + ": v";
        }
        cases.add(new Case("2000 headers", RawHttp.request("GET", keys, many), 431, "header_fields_too_large"));
        cases.add(new Case("a 20 KB request line", RawHttp.request("GET", keys + "?cursor=" + "a".repeat(20_000)),
                414, "uri_too_long"));
        cases.add(new Case("Content-Length not a number", RawHttp.request("POST", keys, "Content-Length: 1e3"),
                400, "malformed_request"));
        cases.add(new Case("Content-Length and chunked", RawHttp.request("POST", keys, "Content-Length: 3",
                "Transfer-Encoding: chunked"), 400, "malformed_request"));
        cases.add(new Case("Host of another site", ("GET " + keys + " HTTP/1.1\r\nHost: evil.example\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), 403, "host_not_allowed"));
        cases.add(new Case("cross-site Origin", RawHttp.concat(RawHttp.request("POST", keys, "Content-Type: application/json",
                "Origin: https://evil.example", "Content-Length: 12"), "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8)),
                403, "origin_not_allowed"));
        cases.add(new Case("Authorization with a line break", RawHttp.request("GET", "/whoami", "Authorization: Basic\u0001x"),
                400, "malformed_request"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachHostileRequest_shouldGetItsProblemOverHttp_andStoreNothing(Object hostile) throws IOException {
        StoredState before = StoredState.read(aws.clients().dynamoDb(), aws.clients().secretsManager(),
                aws.settings().tableName(), HostileRequests.ACCOUNT);
        assertTrue(before.items().stream().anyMatch(item -> item.contains(keyId)), "the key is in the table");
        assertEquals(1, before.secrets().size(), "its secret is in Secrets Manager");
        int status;
        String code;
        byte[] request;
        if (hostile instanceof Hostile table) {
            request = bytes(table);
            status = table.status();
            code = table.code();
        } else {
            Case own = (Case) hostile;
            request = own.request();
            status = own.status();
            code = own.code();
        }

        RawHttp.Answer answer = RawHttp.exchange(server.port(), request);

        assertEquals(status, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"), answer.body());
        Map<String, Object> problem = answer.json();
        assertEquals(code, problem.get("code"), answer.body());
        assertEquals(status, ((Number) problem.get("status")).intValue());
        assertFalse(answer.body().contains(HostileRequests.PASTED_MARK), "a pasted secret came back: " + answer.body());
        assertTrue(answer.status() >= 400 && answer.status() < 500);
        assertEquals(before, StoredState.read(aws.clients().dynamoDb(), aws.clients().secretsManager(),
                aws.settings().tableName(), HostileRequests.ACCOUNT), "a refused request changed what is stored");
    }

    /** The table's request on the wire: its path and query as they are, its headers, its body's bytes. */
    private static byte[] bytes(Hostile hostile) {
        String target = hostile.path(keyId) + (hostile.query() == null ? "" : "?" + hostile.query());
        List<String> lines = new ArrayList<>();
        hostile.headers().forEach((name, value) -> lines.add(name + ": " + value));
        byte[] body = hostile.body() == null ? new byte[0] : hostile.body();
        if (hostile.body() != null || !hostile.method().equals("GET")) {
            lines.add("Content-Length: " + body.length);
        }
        return RawHttp.concat(RawHttp.request(hostile.method(), target, lines.toArray(String[]::new)), body);
    }
}
