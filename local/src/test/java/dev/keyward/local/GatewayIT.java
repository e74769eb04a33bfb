package dev.keyward.local;

import static dev.keyward.local.Replies.EVENTS;
import static dev.keyward.local.Replies.deployed;
import static dev.keyward.local.Replies.header;
import static dev.keyward.local.Replies.json;
import static dev.keyward.local.Replies.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.it.AwsEnvironment;
import dev.keyward.it.AwsEnvironment.Aws;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The local API's gateway in front of the real handlers, over the real SDK and the emulator. */
@ExtendWith(AwsEnvironment.class)
class GatewayIT {
    @Test
    void whoami_shouldRunTheRealAuthorizer_allowingAKeyUntilItIsDeleted(Aws aws) throws IOException {
        Gateway gateway = new Gateway(deployed(), EVENTS, LocalApi.handlersOver(dev.keyward.runtime.Wiring.of(aws.service().ports())),
                LocalApi.authorizersOver(dev.keyward.runtime.Wiring.of(aws.service().ports()).withVerifier(dev.keyward.runtime.Keyward.verifier(aws.settings(), aws.clients(), java.time.Clock.systemUTC()),
                        LocalApi.routeScopes(java.nio.file.Path.of("../infra/template.yaml"), Map.of()))));
        Map<String, Object> key = json(gateway.serve(request("POST", "/accounts/acme-local/keys", "{\"name\":\"Warehouse Dashboard\"}")));
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
                (key.get("clientId") + ":" + key.get("clientSecret")).getBytes(StandardCharsets.UTF_8));

        Gateway.Reply allowed = gateway.serve(withAuthorization(basic));
        assertEquals(200, allowed.status(), new String(allowed.body(), StandardCharsets.UTF_8));
        assertEquals(Map.of("accountId", "acme-local", "keyId", key.get("id"), "scopes", List.of()), json(allowed));
        assertEquals(401, gateway.serve(request("GET", "/whoami", null)).status());
        assertEquals(401, gateway.serve(withAuthorization(basic.substring(0, basic.length() - 4) + "AAAA")).status());
        assertEquals(401, gateway.serve(withAuthorization(basic.replace("Basic", "basic"))).status(), "one spelling");

        assertEquals(204, gateway.serve(request("DELETE", "/accounts/acme-local/keys/" + key.get("id"), null)).status());
        Gateway.Reply denied = gateway.serve(withAuthorization(basic));
        assertEquals(401, denied.status(), "a deleted key's credentials: re-read the secret, then ask an admin");
        assertEquals("unauthorized", json(denied).get("code"));
    }

    private static IncomingRequest withAuthorization(String authorization) {
        return new IncomingRequest("GET", "/whoami", null, Map.of("Authorization", List.of(authorization)),
                new byte[0], "127.0.0.1", "localhost");
    }

    @Test
    void serve_runsTheDeployedHandlers_throughCreateGetListAndDelete(Aws aws) throws IOException {
        Gateway gateway = new Gateway(deployed(), EVENTS, LocalApi.handlersOver(dev.keyward.runtime.Wiring.of(aws.service().ports())));

        Gateway.Reply created = gateway.serve(request("POST", "/accounts/acme/keys", "{\"name\":\"Warehouse Dashboard\"}"));
        assertEquals(201, created.status());
        Map<String, Object> key = json(created);
        assertEquals("/accounts/acme/keys/" + key.get("id"), header(created, "Location"));
        assertNotNull(header(created, "x-amzn-RequestId"));
        assertEquals("no-store", header(created, "Cache-Control"));

        Gateway.Reply got = gateway.serve(request("GET", "/accounts/acme/keys/" + key.get("id"), null));
        assertEquals(200, got.status());
        assertEquals(key.get("clientSecret"), json(got).get("clientSecret"));

        Gateway.Reply listed = gateway.serve(request("GET", "/accounts/acme/keys", null));
        assertEquals(200, listed.status());
        assertTrue(new String(listed.body(), StandardCharsets.UTF_8).contains((String) key.get("clientId")));
        assertTrue(!new String(listed.body(), StandardCharsets.UTF_8).contains((String) key.get("clientSecret")));

        Gateway.Reply deleted = gateway.serve(request("DELETE", "/accounts/acme/keys/" + key.get("id"), null));
        assertEquals(204, deleted.status());
        assertEquals(0, deleted.body().length);

        Gateway.Reply gone = gateway.serve(request("GET", "/accounts/acme/keys/" + key.get("id"), null));
        assertEquals(404, gone.status());
        assertEquals("key_not_found", json(gone).get("code"));
    }

    @Test
    void accountWhoami_shouldAllowAScopedKeyOnItsOwnAccountOnly_asTheAuthorizersPolicySays(Aws aws) throws IOException {
        Gateway gateway = new Gateway(deployed(), EVENTS, LocalApi.handlersOver(dev.keyward.runtime.Wiring.of(aws.service().ports())),
                LocalApi.authorizersOver(dev.keyward.runtime.Wiring.of(aws.service().ports()).withVerifier(dev.keyward.runtime.Keyward.verifier(aws.settings(), aws.clients(), java.time.Clock.systemUTC()),
                        LocalApi.routeScopes(java.nio.file.Path.of("../infra/template.yaml"), Map.of()))));
        Map<String, Object> scoped = json(gateway.serve(request("POST", "/accounts/acme-scoped/keys",
                "{\"name\":\"Reader\",\"scopes\":[\"whoami:read\"]}")));
        Map<String, Object> unscoped = json(gateway.serve(request("POST", "/accounts/acme-scoped/keys", "{\"name\":\"Plain\"}")));
        json(gateway.serve(request("POST", "/accounts/globex-scoped/keys", "{\"name\":\"Theirs\",\"scopes\":[\"whoami:read\"]}")));
        String scopedAuth = basic(scoped);
        String unscopedAuth = basic(unscoped);

        Gateway.Reply own = gateway.serve(get("/accounts/acme-scoped/whoami", scopedAuth));
        assertEquals(200, own.status(), new String(own.body(), StandardCharsets.UTF_8));
        assertEquals(Map.of("accountId", "acme-scoped", "keyId", scoped.get("id"), "scopes", List.of("whoami:read")), json(own));
        Gateway.Reply other = gateway.serve(get("/accounts/globex-scoped/whoami", scopedAuth));
        assertEquals(403, other.status(), "another account's identical route");
        assertEquals("access_denied", json(other).get("code"));
        assertEquals(403, gateway.serve(get("/accounts/acme-scoped/whoami", unscopedAuth)).status(), "no whoami:read");
        assertEquals(200, gateway.serve(get("/whoami", unscopedAuth)).status(), "open to every key");

        // the scope taken away: the very next request is refused
        assertEquals(200, gateway.serve(request("PATCH", "/accounts/acme-scoped/keys/" + scoped.get("id"), "{\"scopes\":[]}")).status());
        assertEquals(403, gateway.serve(get("/accounts/acme-scoped/whoami", scopedAuth)).status());
        assertEquals(200, gateway.serve(get("/whoami", scopedAuth)).status());
    }

    private static String basic(Map<String, Object> key) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (key.get("clientId") + ":" + key.get("clientSecret")).getBytes(StandardCharsets.UTF_8));
    }

    private static IncomingRequest get(String path, String authorization) {
        return new IncomingRequest("GET", path, null, Map.of("Authorization", List.of(authorization)),
                new byte[0], "127.0.0.1", "localhost");
    }
}
