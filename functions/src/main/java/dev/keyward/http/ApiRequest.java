package dev.keyward.http;

import dev.keyward.core.ErrorCode;
import dev.keyward.core.KeyViews;
import dev.keyward.core.KeywardException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Read access to an API Gateway REST proxy event (its JSON), with the checks every route shares. */
public final class ApiRequest {
    /** Bodies larger than this are refused before they are parsed. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** Makes a create or a rotation safe to retry: see {@link dev.keyward.core.IdempotencyRecord}. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final Map<String, Object> event;

    ApiRequest(Map<String, Object> event) {
        this.event = event;
    }

    public String method() {
        String method = Envelopes.text(event, "httpMethod");
        return method == null ? "" : method.toUpperCase(Locale.ROOT);
    }

    public String pathParameter(String name) {
        return Envelopes.text(Envelopes.object(event, "pathParameters"), name);
    }

    public String queryParameter(String name) {
        return Envelopes.text(Envelopes.object(event, "queryStringParameters"), name);
    }

    /** A header by case-insensitive name, as HTTP defines them. */
    public String header(String name) {
        return Envelopes.header(event, name);
    }

    /** The IAM principal that signed the request, when API Gateway authorized it with AWS_IAM. */
    public String caller() {
        Map<String, Object> identity = Envelopes.object(Envelopes.object(event, "requestContext"), "identity");
        if (identity == null) {
            return null;
        }
        String arn = Envelopes.text(identity, "userArn");
        return arn != null ? arn : Envelopes.text(identity, "caller");
    }

    /**
     * A value the Lambda authorizer put in its context ({@code requestContext.authorizer}), or
     * null; only routes behind that authorizer have one.
     */
    public String authorizerValue(String name) {
        return Envelopes.text(Envelopes.object(Envelopes.object(event, "requestContext"), "authorizer"), name);
    }

    /** The stage prefix of the public path ("/prod" for "/prod/accounts/..."), or "" without one. */
    public String basePath() {
        String full = Envelopes.text(Envelopes.object(event, "requestContext"), "path");
        String path = Envelopes.text(event, "path");
        if (full != null && path != null && full.endsWith(path)) {
            return full.substring(0, full.length() - path.length());
        }
        return "";
    }

    /**
     * The {@code limit} query parameter of a paged route, or null when absent; the service checks
     * its range.
     */
    public Integer pageLimit() {
        String value = queryParameter("limit");
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new KeywardException(ErrorCode.INVALID_LIMIT,
                    "limit must be a whole number from 1 to " + KeyViews.MAX_PAGE_SIZE + ".");
        }
    }

    /** A JSON value as a whole number, or null when it is absent or anything else (text, 1.5, true). */
    public static Long wholeNumber(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        return null;
    }

    /** Whether the request has a body at all (a route whose body is optional reads it only then). */
    public boolean hasBody() {
        String body = Envelopes.text(event, "body");
        return body != null && !body.isEmpty();
    }

    /**
     * The body as a JSON object holding at most the given fields.
     *
     * @throws KeywardException 415 when it is not JSON, 413 when over {@link #MAX_BODY_BYTES},
     *                          400 when malformed, not an object or carrying another field
     */
    public Map<String, Object> jsonObject(Set<String> allowedFields) {
        requireJsonContentType();
        byte[] body = bodyBytes();
        if (body.length > MAX_BODY_BYTES) {
            throw new KeywardException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The body is " + body.length + " bytes; at most " + MAX_BODY_BYTES + " are accepted.");
        }
        Map<String, Object> object = JsonBodies.parseObject(body);
        for (String field : object.keySet()) {
            if (!allowedFields.contains(field)) {
                // a member name can be anything pasted, a secret included: never echo it
                throw new KeywardException(ErrorCode.UNKNOWN_FIELD, "The body has a member this operation does not take;"
                        + " allowed: " + String.join(", ", new java.util.TreeSet<>(allowedFields)) + ".");
            }
        }
        return object;
    }

    /**
     * The body exactly as the client sent it (what a signature covers).
     *
     * @throws KeywardException 413 when over {@code maxBytes}
     */
    public byte[] rawBody(int maxBytes) {
        byte[] body = bodyBytes();
        if (body.length > maxBytes) {
            throw new KeywardException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The body is " + body.length + " bytes; at most " + maxBytes + " are accepted.");
        }
        return body;
    }

    /** JSON, and if a charset is named, UTF-8: the only one JSON allows between systems (RFC 8259). */
    private void requireJsonContentType() {
        String type = header("Content-Type");
        String[] parts = type == null ? new String[] {""} : type.split(";");
        String media = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json") && !(media.startsWith("application/") && media.endsWith("+json"))) {
            throw new KeywardException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Send the body as JSON with 'Content-Type: application/json'.");
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("charset")) {
                String charset = parameter.length < 2 ? "" : parameter[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    throw new KeywardException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                            "Send the body as UTF-8 JSON: 'Content-Type: application/json' or 'application/json; charset=utf-8'.");
                }
            }
        }
    }

    private byte[] bodyBytes() {
        String body = Envelopes.text(event, "body");
        if (body == null) {
            return new byte[0];
        }
        if (Boolean.TRUE.equals(event.get("isBase64Encoded"))) {
            try {
                return Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new KeywardException(ErrorCode.INVALID_JSON, "The body could not be decoded.");
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
