package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalServerTest {
    private static final String TEMPLATE = """
            Resources:
              F: { Type: AWS::Serverless::Function, Properties: { Handler: example.H::handleRequest } }
            """;
    private static final String OPENAPI = """
            paths:
              /wait: { get: { x-amazon-apigateway-integration: { type: aws_proxy, uri: !Sub "${F.Arn}" } } }
              /gone: { delete: { x-amazon-apigateway-integration: { type: aws_proxy, uri: !Sub "${F.Arn}" } } }
              /accounts/{accountId}/keys:
                get: { x-amazon-apigateway-integration: { type: aws_proxy, uri: !Sub "${F.Arn}" } }
                post: { x-amazon-apigateway-integration: { type: aws_proxy, uri: !Sub "${F.Arn}" } }
            """;
    private static final int PARALLEL = 4;

    private final CountDownLatch allArrived = new CountDownLatch(PARALLEL);
    private final AtomicInteger handled = new AtomicInteger();
    private LocalServer.Limits limits = new LocalServer.Limits(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(30), 8);
    private String boundHost = "127.0.0.1";
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalServer server;
    private boolean logRequests;

    private LocalServer start() throws Exception {
        RouteTable routes = RouteTable.of(CfnYaml.parse(OPENAPI), CfnYaml.parse(TEMPLATE));
        Gateway gateway = new Gateway(routes, new ProxyEvents("local", null, List.of()), className -> (event, context) -> {
            if (event.getPath().equals("/gone")) {
                return new APIGatewayProxyResponseEvent().withStatusCode(204);
            }
            if (event.getResource().startsWith("/accounts/")) {
                handled.incrementAndGet();
                return new APIGatewayProxyResponseEvent().withStatusCode(200)
                        .withBody("{\"bytes\":" + (event.getBody() == null ? 0 : event.getBody().length()) + "}");
            }
            allArrived.countDown();
            try {
                // answers only once PARALLEL requests are being handled at the same time
                boolean together = allArrived.await(10, TimeUnit.SECONDS);
                return new APIGatewayProxyResponseEvent().withStatusCode(together ? 200 : 500).withBody("{}");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        server = new LocalServer(gateway, new Console(null), boundHost, 0, limits, logRequests);
        server.start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void handlesRequestsConcurrently() throws Exception {
        start();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            responses.add(http.sendAsync(HttpRequest.newBuilder(uri("/wait")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertEquals(200, response.get(20, TimeUnit.SECONDS).statusCode());
        }
    }

    @Test
    void servesTheConsoleAtTheRoot_andTheApiElsewhere() throws Exception {
        start();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> script = http.send(HttpRequest.newBuilder(uri("/console/app.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(uri("/console/nope.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> icon = http.send(HttpRequest.newBuilder(uri("/console/favicon.svg")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> config = http.send(HttpRequest.newBuilder(uri("/console/config.json")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Add an API Key"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertEquals("text/javascript; charset=utf-8", script.headers().firstValue("Content-Type").orElse(""));
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("route_not_found"));
        assertEquals("image/svg+xml", icon.headers().firstValue("Content-Type").orElse(""));
        assertEquals("application/json", config.headers().firstValue("Content-Type").orElse(""));
        assertTrue(config.body().contains("\"apiUrl\": \"\""), "locally the console calls its own origin, unsigned");
    }

    @Test
    void sendsNoBodyFor204() throws Exception {
        start();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/gone")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(204, response.statusCode());
        assertEquals("", response.body());
        assertTrue(response.headers().firstValue("x-amzn-RequestId").isPresent());
    }

    private RawHttp.Answer raw(byte[] request) throws IOException {
        return RawHttp.exchange(server.port(), request);
    }

    private static void assertProblem(RawHttp.Answer answer, int status, String code) {
        assertEquals(status, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"), answer.body());
        assertEquals(code, answer.json().get("code"), answer.body());
        assertEquals(status, ((Number) answer.json().get("status")).intValue());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/accounts/%ZZ/keys", "/accounts/acme/keys/%", "/accounts/acme%2/keys", "/accounts/acme/keys?cursor=%G1",
            "/accounts/acme/keys?limit=5%"})
    void malformedPercentEncoding_shouldAnswer400ProblemJson(String target) throws Exception {
        start();

        assertProblem(raw(RawHttp.request("GET", target)), 400, "malformed_request");
        assertEquals(0, handled.get());
    }

    @Test
    void aBodyOverTheLimit_shouldAnswer413ProblemJson_beforeItIsRead() throws Exception {
        start();
        byte[] body = new byte[RequestReader.MAX_REQUEST_BYTES + 1];

        RawHttp.Answer answer = raw(RawHttp.concat(RawHttp.request("POST", "/accounts/acme/keys",
                "Content-Type: application/json", "Content-Length: " + body.length), body));

        assertProblem(answer, 413, "payload_too_large");
        assertEquals(0, handled.get());
    }

    @Test
    void aChunkedBodyOverTheLimit_shouldAnswer413_andASmallOneShouldArrive() throws Exception {
        start();
        byte[] chunk = ("100000\r\n" + "x".repeat(0x100000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] eleven = new byte[0];
        for (int i = 0; i < 11; i++) {
            eleven = RawHttp.concat(eleven, chunk);
        }
        RawHttp.Answer tooLarge = raw(RawHttp.concat(RawHttp.request("POST", "/accounts/acme/keys",
                "Transfer-Encoding: chunked"), RawHttp.concat(eleven, "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))));
        RawHttp.Answer small = raw(RawHttp.concat(RawHttp.request("POST", "/accounts/acme/keys",
                "Transfer-Encoding: chunked"), "3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));

        assertProblem(tooLarge, 413, "payload_too_large");
        assertEquals(200, small.status(), small.body());
        assertEquals(7, small.json().get("bytes"));
    }

    @Test
    void aHugeHeader_shouldAnswer431ProblemJson_notAReset() throws Exception {
        start();

        RawHttp.Answer answer = raw(RawHttp.request("GET", "/accounts/acme/keys", "X-Big: " + "a".repeat(1024 * 1024)));

        assertProblem(answer, 431, "header_fields_too_large");
    }

    @Test
    void tooManyHeaders_shouldAnswer431ProblemJson_notAReset() throws Exception {
        start();
        String[] headers = new String[2000];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = "X-H" + i + ": v";
        }

        assertProblem(raw(RawHttp.request("GET", "/accounts/acme/keys", headers)), 431, "header_fields_too_large");
    }

    @Test
    void aHugeRequestLine_shouldAnswer414ProblemJson() throws Exception {
        start();

        assertProblem(raw(RawHttp.request("GET", "/accounts/acme/keys?cursor=" + "a".repeat(20_000))), 414, "uri_too_long");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Content-Length: -1", "Content-Length: 12abc", "Content-Length: 5\r\nContent-Length: 6",
            "Content-Length: 5\r\nTransfer-Encoding: chunked", "Transfer-Encoding: gzip", " folded: header",
            "No colon here", "Bad Name: x", "Transfer-Encoding: \u001cchunked", "Content-Length: 0\u001f"})
    void malformedFraming_shouldAnswer400ProblemJson(String header) throws Exception {
        start();

        assertProblem(raw(RawHttp.request("POST", "/accounts/acme/keys", header)), 400, "malformed_request");
        assertEquals(0, handled.get());
    }

    @Test
    void slowClients_shouldNotStallOthers_andShouldBeAnswered408() throws Exception {
        limits = new LocalServer.Limits(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), 64);
        start();
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                Socket socket = new Socket("127.0.0.1", server.port());
                socket.setSoTimeout(20_000);
                // announces 100 bytes, sends 4
                socket.getOutputStream().write(RawHttp.concat(RawHttp.request("POST", "/accounts/acme/keys",
                        "Content-Type: application/json", "Content-Length: 100"), "{\"na".getBytes(StandardCharsets.UTF_8)));
                slow.add(socket);
            }

            HttpResponse<String> normal = http.send(HttpRequest.newBuilder(uri("/accounts/acme/keys")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(200, normal.statusCode());
            for (Socket socket : slow) {
                assertEquals(0, socket.getInputStream().available(), "answered the slow clients before the normal one");
            }
            for (Socket socket : slow) {
                assertProblem(RawHttp.read(socket.getInputStream()), 408, "request_timeout");
            }
            assertEquals(1, handled.get(), "no slow request reached a handler");
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"evil.example", "evil.example:3000", "127.0.0.1.nip.io", "localhost.evil.example", "0.0.0.0", ""})
    void aForeignHost_shouldBeRefused403(String host) throws Exception {
        start();
        byte[] request = ("GET /accounts/acme/keys HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);

        assertProblem(raw(request), 403, "host_not_allowed");
        assertEquals(0, handled.get());
    }

    @Test
    void twoHosts_shouldBeRefused403_evenWhenOneIsLoopback() throws Exception {
        start();

        assertProblem(raw(("GET /accounts/acme/keys HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)), 403, "host_not_allowed");
        assertEquals(0, handled.get());
    }

    @Test
    void noHost_shouldBeRefused403() throws Exception {
        start();

        assertProblem(raw("GET /accounts/acme/keys HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)),
                403, "host_not_allowed");
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"localhost", "LocalHost:3000", "127.0.0.1", "[::1]:8080"})
    void loopbackHosts_shouldBeServed(String host) throws Exception {
        start();
        byte[] request = ("GET /accounts/acme/keys HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);

        assertEquals(200, raw(request).status());
    }

    @ParameterizedTest(name = "Origin: {0}")
    @ValueSource(strings = {"https://evil.example", "http://127.0.0.1:1", "null", "http://localhost.evil.example"})
    void aCrossSiteOrigin_shouldBeRefused403(String origin) throws Exception {
        start();

        RawHttp.Answer answer = raw(RawHttp.concat(RawHttp.request("POST", "/accounts/acme/keys",
                "Content-Type: application/json", "Origin: " + origin, "Content-Length: 12"),
                "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8)));

        assertProblem(answer, 403, "origin_not_allowed");
        assertEquals(0, handled.get());
    }

    @Test
    void theServersOwnOrigin_shouldBeServed() throws Exception {
        start();
        byte[] request = ("POST /accounts/acme/keys HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nOrigin: http://127.0.0.1:"
                + server.port() + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1);

        assertEquals(200, raw(request).status());
    }

    @Test
    void aClientTricklingBytes_shouldBeCutOffAtTheRequestDeadline() throws Exception {
        limits = new LocalServer.Limits(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(30), 8);
        start();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /accounts/acme/keys HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Answer answer = null;
            // one header byte every 250 ms: never 2 s without a byte, but the request never ends
            for (int i = 0; i < 80 && answer == null; i++) {
                try {
                    out.write('X');
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(250);
                if (socket.getInputStream().available() > 0) {
                    answer = RawHttp.read(socket.getInputStream());
                }
            }
            if (answer == null) {
                answer = RawHttp.read(socket.getInputStream());
            }

            assertProblem(answer, 408, "request_timeout");
            assertEquals(0, handled.get());
        }
    }

    @Test
    void connectionsOverTheLimit_shouldBeAnswered503WithRetryAfter() throws Exception {
        limits = new LocalServer.Limits(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30), 2);
        start();
        try (Socket first = new Socket("127.0.0.1", server.port()); Socket second = new Socket("127.0.0.1", server.port())) {
            // both hold a connection slot, idle, until the idle timeout
            Thread.sleep(200);

            RawHttp.Answer third = raw(RawHttp.request("GET", "/accounts/acme/keys"));

            assertProblem(third, 503, "server_busy");
            assertEquals("1", third.header("Retry-After"));
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        RawHttp.Answer after = raw(RawHttp.request("GET", "/accounts/acme/keys"));
        while (after.status() == 503 && System.nanoTime() < until) {
            Thread.sleep(50);
            after = raw(RawHttp.request("GET", "/accounts/acme/keys"));
        }
        assertEquals(200, after.status(), "the slots come back when the idle connections close");
    }

    @Test
    void expect100Continue_shouldBeAnswered_beforeTheBodyIsSent() throws Exception {
        start();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(RawHttp.request("POST", "/accounts/acme/keys", "Content-Type: application/json",
                    "Content-Length: 2", "Expect: 100-continue"));
            byte[] interim = socket.getInputStream().readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", new String(interim, StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write("{}".getBytes(StandardCharsets.UTF_8));

            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());

            assertEquals(200, answer.status(), answer.body());
            assertEquals(2, answer.json().get("bytes"));
        }
    }

    @Test
    void keepAlive_shouldServeSeveralRequestsOnOneConnection() throws Exception {
        start();
        byte[] one = "GET /accounts/acme/keys HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] last = RawHttp.request("GET", "/accounts/acme/keys");

        RawHttp.Answer answer = raw(RawHttp.concat(RawHttp.concat(one, one), last));

        assertEquals(200, answer.status());
        assertEquals(3, handled.get());
    }

    @Test
    void theAccessLog_shouldNameTheRouteTemplate_notThePath() throws Exception {
        logRequests = true;
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            start();
            raw(RawHttp.request("GET", "/accounts/cs_PASTEDSECRET/keys"));
            raw(RawHttp.request("GET", "/nowhere/cs_PASTEDSECRET"));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (captured.toString(StandardCharsets.UTF_8).lines().count() < 2 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertTrue(log.contains("GET /accounts/{accountId}/keys -> 200"), log);
        assertTrue(log.contains("GET (no route) -> 404"), log);
        assertFalse(log.contains("PASTED"), log);
    }

    @Test
    void bindRefusal_shouldAllowLoopback_andOtherAddressesOnlyWhenAskedAndNotWithAws() {
        assertNull(LocalApi.bindRefusal("127.0.0.1", false, false));
        assertNull(LocalApi.bindRefusal("::1", false, true));
        assertNull(LocalApi.bindRefusal("localhost", false, true));
        assertNotNull(LocalApi.bindRefusal("0.0.0.0", false, false));
        assertNull(LocalApi.bindRefusal("0.0.0.0", true, false));
        assertTrue(LocalApi.bindRefusal("0.0.0.0", true, true).contains("EMULATOR=none"));
    }
}
