package dev.keyward.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The Client ID and Client Secret of an {@code Authorization: Basic base64(clientId:clientSecret)}
 * header (RFC 7617). Only their shape is checked here; whether they belong to a key is not.
 */
public record BasicCredentials(String clientId, String clientSecret) {
    private static final String SCHEME = "Basic";
    /** Far above a real header (about 100 characters); bounds the work spent on garbage. */
    private static final int MAX_HEADER_LENGTH = 512;

    /** The credentials, or empty when the header is not Basic, not base64 or has no ':'. */
    public static Optional<BasicCredentials> parse(String header) {
        if (header == null || header.length() > MAX_HEADER_LENGTH
                || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || header.length() == SCHEME.length() || header.charAt(SCHEME.length()) != ' ') {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(SCHEME.length() + 1).strip());
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        String pair = new String(decoded, StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        return Optional.of(new BasicCredentials(pair.substring(0, colon), pair.substring(colon + 1)));
    }

    /** True when both parts have the documented format and the secret's checksum matches. */
    public boolean wellFormed() {
        return Credentials.isWellFormedClientId(clientId) && Credentials.isWellFormedSecret(clientSecret);
    }

    @Override
    public String toString() {
        return "BasicCredentials[clientId=" + clientId + ", clientSecret=<redacted>]";
    }
}
