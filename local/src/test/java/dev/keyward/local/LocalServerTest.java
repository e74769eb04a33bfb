package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalServerTest {
    private static final String TEMPLATE = """
            Resources:
              F: { Type: AWS::Serverless::Function, Properties: { Handler: example.H::handleRequest } }
            """;
    private static final String OPENAPI = """
            paths:
              /wait: { get: { x-amazon-apigateway-integration: { type: aws_proxy, uri: !Sub "${F.Arn}" } } }
              /gone: { delete: { x-amazon-apigateway-integration: { type: aws_proxy, uri: !Sub "${F.Arn}" } } }
            """;
    private static final int PARALLEL = 4;

    private final CountDownLatch allArrived = new CountDownLatch(PARALLEL);
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalServer server;

    private LocalServer start() throws Exception {
        RouteTable routes = RouteTable.of(CfnYaml.parse(OPENAPI), CfnYaml.parse(TEMPLATE));
        Gateway gateway = new Gateway(routes, new ProxyEvents("local", null, List.of()), className -> (event, context) -> {
            if (event.getPath().equals("/gone")) {
                return new APIGatewayProxyResponseEvent().withStatusCode(204);
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
        server = new LocalServer(gateway, new Console(null), "127.0.0.1", 0, 8, false);
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
}
