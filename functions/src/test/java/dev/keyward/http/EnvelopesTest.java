package dev.keyward.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.Verdict;
import dev.keyward.handler.AuthorizerHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The handlers read API Gateway's JSON themselves: the events/ files (what {@code sam local invoke -e}
 * passes) read as the routes expect, and the answers written as API Gateway expects them.
 */
class EnvelopesTest {
    private static byte[] event(String file) throws IOException {
        try (InputStream in = EnvelopesTest.class.getResourceAsStream("/events/" + file)) {
            return in.readAllBytes();
        }
    }

    private static Map<String, Object> serve(byte[] event, String method,
                                             java.util.function.Function<ApiRequest, ApiResponse> route) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Api.serve(new ByteArrayInputStream(event), out, null, method, route);
        return JSON.std.mapFrom(out.toByteArray());
    }

    @Test
    void serve_readsTheProxyEvent_andWritesTheProxyResponse() throws IOException {
        AtomicReference<List<Object>> seen = new AtomicReference<>();

        Map<String, Object> response = serve(event("create-key.json"), "POST", request -> {
            seen.set(List.of(request.method(), request.pathParameter("accountId"), request.header("content-TYPE"),
                    request.caller(), request.basePath(), request.jsonObject(Set.of("name"))));
            return Responses.created("/prod/accounts/acme/keys/key_1", Map.of("id", "key_1"));
        });

        assertEquals("POST", seen.get().get(0));
        assertEquals("acme", seen.get().get(1));
        assertEquals("application/json", seen.get().get(2));
        assertEquals("arn:aws:sts::123456789012:assumed-role/KeywardAdmin/admin", seen.get().get(3));
        assertEquals("/prod", seen.get().get(4));
        assertEquals(Map.of("name", "Warehouse Dashboard"), seen.get().get(5));
        assertEquals(201, response.get("statusCode"));
        assertEquals(Map.of("Cache-Control", "no-store", "Content-Type", "application/json",
                "Location", "/prod/accounts/acme/keys/key_1"), response.get("headers"));
        assertEquals("{\"id\":\"key_1\"}", response.get("body"));
        assertEquals(false, response.get("isBase64Encoded"));
    }

    @Test
    void serve_decodesABase64Body_readsQueryParameters_andAnswersAProblemForTheWrongMethod() throws IOException {
        Map<String, Object> event = JSON.std.mapFrom(event("list-keys.json"));
        event.put("queryStringParameters", Map.of("limit", "7"));
        event.put("body", Base64.getEncoder().encodeToString("{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
        event.put("isBase64Encoded", true);
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = new LinkedHashMap<>((Map<String, Object>) event.get("headers"));
        headers.put("content-type", "application/json");
        event.put("headers", headers);
        List<Object> seen = new ArrayList<>();

        Map<String, Object> ok = serve(JSON.std.asBytes(event), "GET", request -> {
            seen.add(request.pageLimit());
            seen.add(request.queryParameter("cursor"));
            seen.add(request.jsonObject(Set.of("name")).get("name"));
            return Responses.noContent();
        });
        Map<String, Object> wrong = serve(JSON.std.asBytes(event), "DELETE", request -> Responses.noContent());

        assertEquals(List.of(7, "x"), List.of(seen.get(0), seen.get(2)));
        assertNull(seen.get(1));
        assertEquals(204, ok.get("statusCode"));
        assertNull(ok.get("body"));
        assertEquals(405, wrong.get("statusCode"));
        assertEquals(Problems.CONTENT_TYPE, ((Map<?, ?>) wrong.get("headers")).get("Content-Type"));
        assertEquals("DELETE", ((Map<?, ?>) wrong.get("headers")).get("Allow"));
    }

    @Test
    void authorize_readsTheAuthorizationHeader_andWritesThePolicyForThisMethodArn() throws IOException {
        AtomicReference<String> header = new AtomicReference<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String methodArn = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/whoami";

        Authorizers.authorize(new ByteArrayInputStream(event("authorize.json")), out, null, request -> {
            header.set(request.authorization());
            assertEquals(methodArn, request.methodArn());
            return new Verdict(Verdict.Outcome.ALLOW, "acme", "key_1", null, List.of(methodArn), null);
        });

        assertEquals(((Map<?, ?>) JSON.std.mapFrom(event("authorize.json")).get("headers")).get("Authorization"), header.get());
        assertTrue(header.get().startsWith("Basic "));
        assertEquals(Map.of(
                "principalId", "key_1",
                "policyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                        "Action", "execute-api:Invoke", "Effect", "Allow",
                        "Resource", List.of("arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/whoami")))),
                "context", Map.of("accountId", "acme", "keyId", "key_1", "scopes", "")), JSON.std.mapFrom(out.toByteArray()));
    }

    @Test
    void authorize_failsWithUnauthorized_whenNoCredentialsArePresented() {
        Authorizers.AuthorizerFailure failure = assertThrows(Authorizers.AuthorizerFailure.class, () ->
                Authorizers.authorize(new ByteArrayInputStream(event("authorize.json")), new ByteArrayOutputStream(), null,
                        request -> new Verdict(Verdict.Outcome.NO_CREDENTIALS, null, null)));
        assertEquals("Unauthorized", failure.getMessage());
    }

    @Test
    void authorize_failsWithUnauthorized_whenTheCredentialsAreRefused() {
        Authorizers.AuthorizerFailure failure = assertThrows(Authorizers.AuthorizerFailure.class, () ->
                Authorizers.authorize(new ByteArrayInputStream(event("authorize.json")), new ByteArrayOutputStream(), null,
                        request -> new Verdict(Verdict.Outcome.DENY, null, null)));
        assertEquals("Unauthorized", failure.getMessage(), "API Gateway answers 401, not 403");
    }

    @Test
    void authorize_shouldPassTheAddressApiGatewaySaw_neverTheForwardedForHeaderTheCallerWrites() throws IOException {
        Map<String, Object> event = JSON.std.mapFrom(event("authorize.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) event.get("headers");
        headers.put("X-Forwarded-For", "10.1.2.3");
        headers.put("X-Real-IP", "10.1.2.3");
        AtomicReference<KeyVerifier.Request> seen = new AtomicReference<>();

        Authorizers.authorize(event, request -> {
            seen.set(request);
            return new Verdict(Verdict.Outcome.ALLOW, "acme", "key_1", null, List.of((String) event.get("methodArn")), null);
        });

        assertEquals("203.0.113.20", seen.get().sourceIp(), "requestContext.identity.sourceIp");
    }

    @Test
    void authorize_shouldDenyThisRequest_withA403_whenTheKeyIsForbiddenHere() {
        Map<String, Object> policy = Authorizers.authorize(Map.of("methodArn",
                        "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/whoami"),
                request -> new Verdict(Verdict.Outcome.FORBIDDEN, "acme", "key_1", null, null,
                        dev.keyward.core.DenialReason.IP_NOT_ALLOWED));

        assertEquals("key_1", policy.get("principalId"));
        assertEquals(List.of(Map.of("Action", "execute-api:Invoke", "Effect", "Deny",
                        "Resource", List.of("arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/whoami"))),
                ((Map<?, ?>) policy.get("policyDocument")).get("Statement"));
        assertFalse(policy.containsKey("context"), "no context: the request does not reach the route");
    }
}
