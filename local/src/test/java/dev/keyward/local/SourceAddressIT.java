package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.it.AwsEnvironment;
import dev.keyward.it.AwsEnvironment.Aws;
import dev.keyward.core.KeyVerifier;
import dev.keyward.runtime.Keyward;
import dev.keyward.runtime.Wiring;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local API passes the address its socket saw to the key authorizer, as API Gateway passes the
 * one it saw: a key pinned to networks is checked against where the connection really came from,
 * over HTTP, whatever X-Forwarded-For says.
 */
@ExtendWith(AwsEnvironment.class)
class SourceAddressIT {
    private final HttpClient http = HttpClient.newHttpClient();

    private LocalServer start(Aws aws, String host) throws IOException {
        KeyVerifier verifier = Keyward.verifier(aws.settings(), aws.clients(), Clock.systemUTC());
        Wiring services = new Wiring(aws.service().ports(), Keyward.keyUsage(aws.settings(), aws.clients(), Clock.systemUTC()),
                null, null, verifier, LocalApi.routeScopes(java.nio.file.Path.of("../infra/template.yaml"), Map.of()));
        Gateway gateway = new Gateway(Replies.deployed(), Replies.EVENTS, LocalApi.handlersOver(services),
                LocalApi.writingUsageAtOnce(LocalApi.authorizersOver(services), verifier));
        LocalServer server = new LocalServer(gateway, new Console(null), host, 0, 16, false);
        server.start();
        return server;
    }

    private HttpResponse<String> send(String base, String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> json(HttpResponse<String> response) throws IOException {
        return JSON.std.mapFrom(response.body());
    }

    private static String basic(Map<String, Object> key) {
        return "Basic " + Base64.getEncoder().encodeToString((key.get("clientId") + ":" + key.get("clientSecret"))
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Pins the key to {@code cidrs}, then answers GET /whoami's status from this connection. */
    private int whoamiPinnedTo(String base, String account, Map<String, Object> key, String cidrs)
            throws IOException, InterruptedException {
        HttpResponse<String> patched = send(base, "PATCH", "/accounts/" + account + "/keys/" + key.get("id"),
                "{\"allowedCidrs\": " + cidrs + "}");
        assertEquals(200, patched.statusCode(), patched.body());
        // what a proxy in front would add: the local API, like API Gateway, never reads it
        return send(base, "GET", "/whoami", null, "Authorization", basic(key), "X-Forwarded-For", "10.1.2.3").statusCode();
    }

    @Test
    void aKeyPinnedToTenSlashEight_shouldBeRefusedFromLoopback_andAcceptedOnceLoopbackIsIn(Aws aws) throws Exception {
        try (LocalServer server = start(aws, "127.0.0.1")) {
            String base = "http://127.0.0.1:" + server.port();
            Map<String, Object> key = json(send(base, "POST", "/accounts/acme-ip/keys", "{\"name\": \"Warehouse Dashboard\"}"));

            assertEquals(403, whoamiPinnedTo(base, "acme-ip", key, "[\"10.0.0.0/8\"]"), "127.0.0.1 is not in 10.0.0.0/8");
            assertEquals(403, whoamiPinnedTo(base, "acme-ip", key, "[\"::1/128\"]"), "an IPv4 client is in no IPv6 range");
            assertEquals(200, whoamiPinnedTo(base, "acme-ip", key, "[\"127.0.0.0/8\"]"));
            assertEquals(200, whoamiPinnedTo(base, "acme-ip", key, "[\"::ffff:127.0.0.1/128\"]"), "IPv4-mapped");
            assertEquals(200, whoamiPinnedTo(base, "acme-ip", key, "null"));

            Map<String, Object> usage = json(send(base, "GET", "/accounts/acme-ip/keys/" + key.get("id") + "/usage?days=1", null));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> denials = (List<Map<String, Object>>) usage.get("recentDenials");
            assertEquals(List.of("127.0.0.1", "127.0.0.1"), denials.stream().map(d -> d.get("sourceIp")).toList());
            assertEquals(List.of("ip_not_allowed", "ip_not_allowed"), denials.stream().map(d -> d.get("reason")).toList());
            assertEquals("GET /whoami", denials.get(0).get("route"));
        }
    }

    @Test
    void anIpv6Client_shouldBeCheckedAgainstIpv6Ranges(Aws aws) throws Exception {
        assumeTrue(ipv6Loopback(), "this machine has no IPv6 loopback");
        try (LocalServer server = start(aws, "::1")) {
            String base = "http://[::1]:" + server.port();
            Map<String, Object> key = json(send(base, "POST", "/accounts/acme-ip6/keys", "{\"name\": \"3PL Integration\"}"));

            assertEquals(403, whoamiPinnedTo(base, "acme-ip6", key, "[\"127.0.0.0/8\"]"));
            assertEquals(403, whoamiPinnedTo(base, "acme-ip6", key, "[\"2001:db8::/32\"]"));
            assertEquals(200, whoamiPinnedTo(base, "acme-ip6", key, "[\"::1/128\"]"));
            assertEquals(200, whoamiPinnedTo(base, "acme-ip6", key, "[\"::/0\"]"));
        }
    }

    private static boolean ipv6Loopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return socket.getLocalPort() > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
