package dev.keyward.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks 1.0 signing: a secret is {@code whsec_} and the base64 of
 * {@value #SECRET_BYTES} random bytes; a signature is {@code v1,} and the base64 of the
 * HMAC-SHA256, keyed with those bytes, of {@code {webhook-id}.{webhook-timestamp}.{body}}. A
 * delivery signed with several secrets carries their signatures space-separated, which the
 * Standard Webhooks libraries accept when any one of them verifies.
 */
public final class WebhookSigner {
    public static final String SECRET_PREFIX = "whsec_";
    static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigner() {
    }

    /** A new signing secret, in the form the Standard Webhooks libraries take. */
    public static String newSecret() {
        byte[] key = new byte[SECRET_BYTES];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The {@code webhook-signature} header's value for one delivery signed with each of
     * {@code secrets}: their signatures, space-separated, in that order.
     */
    public static String signatures(List<String> secrets, String webhookId, long timestampSeconds, String body) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("No webhook signing secret");
        }
        StringJoiner header = new StringJoiner(" ");
        for (String secret : secrets) {
            header.add(signature(secret, webhookId, timestampSeconds, body));
        }
        return header.toString();
    }

    /** One signature, {@code v1,} and the base64 HMAC. */
    public static String signature(String secret, String webhookId, long timestampSeconds, String body) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("Not a webhook signing secret");
        }
        byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signed = mac.doFinal((webhookId + "." + timestampSeconds + "." + body)
                    .getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is in every JVM", e);
        }
    }
}
