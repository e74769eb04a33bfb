package dev.keyward.it;

import dev.keyward.core.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests a careless or hostile client sends, each with the answer it must get: always a
 * problem+json 4xx, and nothing stored. One table for two runs: {@code HostileInputIT} hands each
 * request to the handler API Gateway would call, {@code HostileHttpIT} (in local/) sends it over
 * HTTP to the local API.
 *
 * <p>The account {@value #ACCOUNT} holds one key, {@value #KEY} in a path stands for its id, and
 * {@value #PASTED} stands for a secret pasted where it does not belong: no answer may repeat it.
 */
public final class HostileRequests {
    public static final String ACCOUNT = "hostile";
    public static final String KEY = "{KEY}";
    public static final String PASTED = "kw_sec_PASTEDx1PASTEDx2PASTEDx3PASTEDx4PASTEDx5Ab12Cd";
    public static final String PASTED_MARK = "PASTED";
    private static final String JSON = "application/json";
    private static final String KEYS = "/accounts/" + ACCOUNT + "/keys";
    private static final String ONE_KEY = KEYS + "/" + KEY;

    /**
     * One hostile request.
     *
     * @param what     what is wrong with it, the test's name
     * @param method   the HTTP method
     * @param resource the route it aims at ({@code /accounts/{accountId}/keys}), as openapi.yaml names it
     * @param path     the path as sent, percent-encoded
     * @param query    the query as sent, or null
     * @param headers  headers as sent (Host and Content-Length are the runner's)
     * @param body     the body's bytes, or null for none
     * @param base64   whether a handler gets the body base64-encoded (a binary media type); over HTTP
     *                 the bytes are sent as they are
     * @param status   the answer's status
     * @param code     the problem's code
     */
    public record Hostile(String what, String method, String resource, String path, String query,
                          Map<String, String> headers, byte[] body, boolean base64, int status, String code) {
        @Override
        public String toString() {
            return what;
        }

        /** The path's parameters decoded, as API Gateway hands them to the function, with {@code key} for {@link #KEY}. */
        public Map<String, String> pathParameters(String key) {
            String[] names = resource.split("/");
            String[] values = path.split("/", -1);
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; i < names.length && i < values.length; i++) {
                if (names[i].startsWith("{")) {
                    String value = values[i].equals(KEY) ? key : values[i];
                    parameters.put(names[i].substring(1, names[i].length() - 1),
                            java.net.URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8));
                }
            }
            return parameters;
        }

        public String path(String key) {
            return path.replace(KEY, key);
        }
    }

    private HostileRequests() {
    }

    public static List<Hostile> all() {
        List<Hostile> cases = new ArrayList<>();
        // bodies that are not UTF-8, or not one JSON object
        create(cases, "invalid UTF-8 bytes FF FE", bytes("{\"name\":\"bad ", 0xff, 0xfe, "\"}"), "invalid_json");
        create(cases, "overlong '/' C0 AF", bytes("{\"name\":\"x", 0xc0, 0xaf, "\"}"), "invalid_json");
        create(cases, "overlong NUL C0 80", bytes("{\"name\":\"x", 0xc0, 0x80, "\"}"), "invalid_json");
        create(cases, "three-byte overlong E0 80 AF", bytes("{\"name\":\"x", 0xe0, 0x80, 0xaf, "\"}"), "invalid_json");
        create(cases, "encoded surrogate ED A0 80", bytes("{\"name\":\"x", 0xed, 0xa0, 0x80, "\"}"), "invalid_json");
        create(cases, "truncated sequence E2 82", bytes("{\"name\":\"x", 0xe2, 0x82, "\"}"), "invalid_json");
        create(cases, "lone continuation byte 80", bytes("{\"name\":\"x", 0x80, "\"}"), "invalid_json");
        create(cases, "beyond U+10FFFF F4 90 80 80", bytes("{\"name\":\"x", 0xf4, 0x90, 0x80, 0x80, "\"}"), "invalid_json");
        create(cases, "Latin-1 e-acute E9", bytes("{\"name\":\"caf", 0xe9, "\"}"), "invalid_json");
        create(cases, "UTF-16LE with BOM", "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_16LE), "invalid_json");
        create(cases, "literal U+FFFD", utf8("{\"name\":\"bad \uFFFD\"}"), "invalid_json");
        create(cases, "malformed JSON", utf8("{\"name\": \"Warehouse"), "invalid_json");
        create(cases, "an array", utf8("[\"Warehouse\"]"), "invalid_json");
        create(cases, "JSON null", utf8("null"), "invalid_json");
        create(cases, "two values", utf8("{\"name\":\"a\"} {\"name\":\"b\"}"), "invalid_json");
        create(cases, "duplicate member", utf8("{\"name\":\"a\",\"name\":\"b\"}"), "invalid_json");
        create(cases, "a comment", utf8("{\"name\":\"a\" /* c */}"), "invalid_json");
        create(cases, "single quotes", utf8("{'name':'a'}"), "invalid_json");
        create(cases, "empty body", new byte[0], "invalid_json");
        create(cases, "whitespace body", utf8(" \r\n\t "), "invalid_json");
        create(cases, "nesting 5000 deep", utf8("{\"name\":" + "[".repeat(5000) + "]".repeat(5000) + "}"), "invalid_json");
        create(cases, "nesting unclosed", utf8("{\"name\":" + "{\"a\":".repeat(3000)), "invalid_json");
        add(cases, new Hostile("invalid UTF-8, base64-encoded", "POST", "/accounts/{accountId}/keys", KEYS, null,
                Map.of("Content-Type", JSON), bytes("{\"name\":\"bad ", 0xff, "\"}"), true, 400, "invalid_json"));
        add(cases, new Hostile("base64 that is not base64", "POST", "/accounts/{accountId}/keys", KEYS, null,
                Map.of("Content-Type", JSON), null, true, 400, "invalid_json"));
        // unknown members, named by what a user might paste
        create(cases, "unknown member named by a secret", utf8("{\"name\":\"x\",\"" + PASTED + "\":1}"), "unknown_field");
        create(cases, "unknown member clientSecret", utf8("{\"name\":\"x\",\"clientSecret\":\"" + PASTED + "\"}"), "unknown_field");
        body(cases, "rename: unknown member", "PATCH", "/accounts/{accountId}/keys/{keyId}", ONE_KEY,
                utf8("{\"name\":\"x\",\"" + PASTED + "\":true}"), 400, "unknown_field");
        body(cases, "rotate: unknown member", "POST", "/accounts/{accountId}/keys/{keyId}/rotate", ONE_KEY + "/rotate",
                utf8("{\"graceSeconds\":0,\"" + PASTED + "\":0}"), 400, "unknown_field");
        // sizes and media types
        create(cases, "body over 16 KiB", utf8("{\"name\":\"" + "x".repeat(16 * 1024) + "\"}"), 413, "payload_too_large");
        body(cases, "rename: body over 16 KiB", "PATCH", "/accounts/{accountId}/keys/{keyId}", ONE_KEY,
                utf8("{\"name\":\"" + "x".repeat(17_000) + "\"}"), 413, "payload_too_large");
        body(cases, "rotate: body over 16 KiB", "POST", "/accounts/{accountId}/keys/{keyId}/rotate", ONE_KEY + "/rotate",
                utf8("{\"graceSeconds\":" + "0".repeat(17_000) + "}"), 413, "payload_too_large");
        typed(cases, "no Content-Type", null);
        typed(cases, "text/plain", "text/plain");
        typed(cases, "form encoded", "application/x-www-form-urlencoded");
        typed(cases, "multipart", "multipart/form-data; boundary=x");
        typed(cases, "charset ISO-8859-1", "application/json; charset=ISO-8859-1");
        typed(cases, "charset utf-16", "application/json; charset=utf-16");
        typed(cases, "charset quoted latin1", "application/json; charset=\"latin1\"");
        typed(cases, "charset empty", "application/json; charset=");
        add(cases, new Hostile("rename: charset windows-1252", "PATCH", "/accounts/{accountId}/keys/{keyId}", ONE_KEY, null,
                Map.of("Content-Type", "application/json;charset=windows-1252"), utf8("{\"name\":\"x\"}"), false, 415,
                "unsupported_media_type"));
        add(cases, new Hostile("rotate: text/plain", "POST", "/accounts/{accountId}/keys/{keyId}/rotate", ONE_KEY + "/rotate",
                null, Map.of("Content-Type", "text/plain"), utf8("{\"graceSeconds\":0}"), false, 415, "unsupported_media_type"));
        // names with nothing visible, or worse
        for (String invisible : List.of("\u00A0", "\u202F", "\u2007", "\u3164", "\u2800", "\u0301", "\u200B", "\uFEFF",
                "\u2060", "\u115F\u1160", "\u3000 \u00A0", "\u2800\u0301\u3164")) {
            create(cases, "name " + codePoints(invisible), utf8("{\"name\":\"" + invisible + "\"}"), "invalid_name");
        }
        create(cases, "name escaped U+FFFD", utf8("{\"name\":\"\\ufffd\"}"), "invalid_name");
        create(cases, "name 101 characters", utf8("{\"name\":\"" + "x".repeat(101) + "\"}"), "invalid_name");
        create(cases, "name with a line break", utf8("{\"name\":\"a\\nb\"}"), "invalid_name");
        create(cases, "name with RTL override", utf8("{\"name\":\"a\u202Eb\"}"), "invalid_name");
        create(cases, "name escaped lone surrogate", utf8("{\"name\":\"a\\ud800\"}"), "invalid_name");
        create(cases, "name a number", utf8("{\"name\":42}"), "invalid_name");
        create(cases, "name an object", utf8("{\"name\":{\"x\":1}}"), "invalid_name");
        create(cases, "name true", utf8("{\"name\":true}"), "invalid_name");
        create(cases, "no name", utf8("{}"), "invalid_name");
        body(cases, "rename: to U+3164", "PATCH", "/accounts/{accountId}/keys/{keyId}", ONE_KEY,
                utf8("{\"name\":\"\u3164\"}"), 400, "invalid_name");
        body(cases, "rename: to blank", "PATCH", "/accounts/{accountId}/keys/{keyId}", ONE_KEY,
                utf8("{\"name\":\" \\t \"}"), 400, "invalid_name");
        body(cases, "rename: invalid UTF-8", "PATCH", "/accounts/{accountId}/keys/{keyId}", ONE_KEY,
                bytes("{\"name\":\"x", 0xc0, 0xaf, "\"}"), 400, "invalid_json");
        // rotate's grace period
        for (String grace : List.of("-1", "86401", "\"60\"", "1.5", "99999999999999999999999", "null", "true")) {
            body(cases, "rotate: graceSeconds " + grace, "POST", "/accounts/{accountId}/keys/{keyId}/rotate",
                    ONE_KEY + "/rotate", utf8("{\"graceSeconds\":" + grace + "}"), 400, "invalid_grace_period");
        }
        body(cases, "rotate: NaN", "POST", "/accounts/{accountId}/keys/{keyId}/rotate", ONE_KEY + "/rotate",
                utf8("{\"graceSeconds\":NaN}"), 400, "invalid_json");
        // ids in the path
        read(cases, "account id starting with '-'", "/accounts/-acme/keys", null, 400, "invalid_account_id");
        read(cases, "account id of 65 characters", "/accounts/" + "a".repeat(65) + "/keys", null, 400, "invalid_account_id");
        read(cases, "account id '..' encoded", "/accounts/%2E%2E/keys", null, 400, "invalid_account_id");
        read(cases, "account id with an encoded slash", "/accounts/acme%2Fother/keys", null, 400, "invalid_account_id");
        read(cases, "account id with a zero-width space", "/accounts/acme%E2%80%8B/keys", null, 400, "invalid_account_id");
        read(cases, "account id with invalid UTF-8", "/accounts/acme%FF/keys", null, 400, "invalid_account_id");
        read(cases, "account id a pasted secret with '+'", "/accounts/" + PASTED + "+x/keys", null, 400, "invalid_account_id");
        key(cases, "GET", "key id malformed", "key_nope", 404, "key_not_found");
        key(cases, "GET", "key id a pasted secret", PASTED, 404, "key_not_found");
        key(cases, "GET", "key id in lower case", "key_01jdq8z6x4m5n7p8q9r0s1t2v3", 404, "key_not_found");
        key(cases, "GET", "key id with a zero-width space", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3%E2%80%8B", 404, "key_not_found");
        key(cases, "DELETE", "delete: key id of 2000 characters", "key_" + "0".repeat(2000), 404, "key_not_found");
        key(cases, "DELETE", "delete: key id with an encoded NUL", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3%00", 404, "key_not_found");
        add(cases, new Hostile("rename: unknown key", "PATCH", "/accounts/{accountId}/keys/{keyId}",
                KEYS + "/key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3", null, Map.of("Content-Type", JSON), utf8("{\"name\":\"x\"}"),
                false, 404, "key_not_found"));
        // query parameters and cursors
        for (String limit : List.of("0", "101", "-1", "ten", "1e2", "", "%20", "99999999999999999999", "5%00")) {
            read(cases, "limit=" + limit, KEYS, "limit=" + limit, 400, "invalid_limit");
        }
        for (String cursor : List.of("", "bm90LW91cnM", "%00", PASTED, "a".repeat(4000),
                base64url("1:key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3/../x"), base64url("1:evt_01JDQ8Z6X4M5N7P8Q9R0S1T2V3"),
                base64url("2:key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3"), "MTprZXlfMDFKRDhaNlg0TTVON1A4UTlSMFMxVDJWMw%3D%3D%3D")) {
            read(cases, "cursor " + shorten(cursor), KEYS, "cursor=" + cursor, 400, "invalid_cursor");
        }
        add(cases, new Hostile("audit: key cursor", "GET", "/accounts/{accountId}/audit", "/accounts/" + ACCOUNT + "/audit",
                "cursor=" + base64url("1:key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3"), Map.of(), null, false, 400, "invalid_cursor"));
        add(cases, new Hostile("audit: limit=0", "GET", "/accounts/{accountId}/audit", "/accounts/" + ACCOUNT + "/audit",
                "limit=0", Map.of(), null, false, 400, "invalid_limit"));
        // Authorization on the route behind the key authorizer
        whoami(cases, "no Authorization", null, 401, "unauthorized");
        whoami(cases, "Authorization empty", "", 401, "unauthorized");
        whoami(cases, "Basic with nothing", "Basic", 401, "unauthorized");
        whoami(cases, "Bearer token", "Bearer " + PASTED, 401, "unauthorized");
        whoami(cases, "Basic not base64", "Basic %%%notbase64%%%", 401, "unauthorized");
        String clientId = Credentials.newClientId();
        whoami(cases, "Basic without a colon", "Basic " + b64(clientId), 401, "unauthorized");
        whoami(cases, "Basic with a bad checksum", "Basic " + b64(clientId + ":" + PASTED), 401, "unauthorized");
        whoami(cases, "Basic of an unknown client", "Basic " + b64(clientId + ":" + Credentials.newClientSecret()),
                401, "unauthorized");
        whoami(cases, "Basic with the old cs_ prefix", "Basic " + b64(clientId + ":cs_" + "a".repeat(46)), 401, "unauthorized");
        whoami(cases, "Basic of 8 KiB", "Basic " + "A".repeat(8000), 401, "unauthorized");
        whoami(cases, "Basic with UTF-8 in it", "Basic " + b64("ck_\u00e9:cs_\u00e9"), 401, "unauthorized");
        whoami(cases, "basic in lower case, empty pair", "basic " + b64(":"), 401, "unauthorized");
        // methods
        add(cases, new Hostile("PUT on keys", "PUT", "/accounts/{accountId}/keys", KEYS, null, Map.of(), null, false,
                405, "method_not_allowed"));
        add(cases, new Hostile("POST on a key", "POST", "/accounts/{accountId}/keys/{keyId}", ONE_KEY, null,
                Map.of("Content-Type", JSON), utf8("{}"), false, 405, "method_not_allowed"));
        return cases;
    }

    private static void add(List<Hostile> cases, Hostile hostile) {
        cases.add(hostile);
    }

    private static void create(List<Hostile> cases, String what, byte[] body, String code) {
        create(cases, what, body, 400, code);
    }

    private static void create(List<Hostile> cases, String what, byte[] body, int status, String code) {
        body(cases, what, "POST", "/accounts/{accountId}/keys", KEYS, body, status, code);
    }

    private static void body(List<Hostile> cases, String what, String method, String resource, String path, byte[] body,
                             int status, String code) {
        cases.add(new Hostile(what, method, resource, path, null, Map.of("Content-Type", JSON), body, false, status, code));
    }

    private static void typed(List<Hostile> cases, String what, String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        cases.add(new Hostile(what, "POST", "/accounts/{accountId}/keys", KEYS, null, headers, utf8("{\"name\":\"x\"}"),
                false, 415, "unsupported_media_type"));
    }

    private static void read(List<Hostile> cases, String what, String path, String query, int status, String code) {
        cases.add(new Hostile(what, "GET", "/accounts/{accountId}/keys", path, query, Map.of(), null, false, status, code));
    }

    private static void key(List<Hostile> cases, String method, String what, String keyId, int status, String code) {
        cases.add(new Hostile(what, method, "/accounts/{accountId}/keys/{keyId}", KEYS + "/" + keyId, null, Map.of(), null,
                false, status, code));
    }

    private static void whoami(List<Hostile> cases, String what, String authorization, int status, String code) {
        Map<String, String> headers = authorization == null ? Map.of() : Map.of("Authorization", authorization);
        cases.add(new Hostile(what, "GET", "/whoami", "/whoami", null, headers, null, false, status, code));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Text and raw byte values, in order. */
    private static byte[] bytes(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String s) {
                out.writeBytes(utf8(s));
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(utf8(s));
    }

    private static String base64url(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(utf8(s));
    }

    private static String codePoints(String s) {
        StringBuilder text = new StringBuilder();
        s.codePoints().forEach(cp -> text.append(text.length() == 0 ? "" : " ").append(String.format("U+%04X", cp)));
        return text.toString();
    }

    private static String shorten(String s) {
        return s.length() > 24 ? s.substring(0, 12) + "…(" + s.length() + ")" : "'" + s + "'";
    }
}
