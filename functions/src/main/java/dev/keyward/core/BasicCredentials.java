package dev.keyward.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The Client ID and Client Secret of an {@code Authorization: Basic base64(clientId:clientSecret)}
 * header (RFC 7617). Only their shape is checked here; whether they belong to a key is not.
 *
 * <p>One credential has exactly one accepted spelling: the scheme as {@code Basic}, one space,
 * and the canonical base64 of RFC 4648 (section 4: padded with {@code =}, no line breaks, the
 * unused bits of the last character zero). RFC 7235 lets a recipient take the scheme in any case
 * and several spaces before the token, but then one credential would have many spellings, and
 * the per-integration rate limit (AWS WAF, keyed on the header as sent) would count each of them
 * apart. Every HTTP client builds the header this way; any other spelling is refused as a wrong
 * credential (401).
 */
public record BasicCredentials(String clientId, String clientSecret) {
    /** The scheme and the one space after it, exactly as the header must begin. */
    public static final String PREFIX = "Basic ";
    /**
     * The longest token taken (a multiple of 4): far above a real one (112 characters), it bounds
     * the work spent on garbage.
     */
    static final int MAX_TOKEN_LENGTH = 504;

    /**
     * The credentials, or empty when the header is not {@code Basic } and canonical padded base64
     * of a pair with a ':'.
     */
    public static Optional<BasicCredentials> parse(String header) {
        if (header == null || !header.startsWith(PREFIX) || header.length() - PREFIX.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        String token = header.substring(PREFIX.length());
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        if (!Base64.getEncoder().encodeToString(decoded).equals(token)) {
            // unpadded, or the last character's unused bits not zero: another spelling of a canonical token
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
