package dev.keyward.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks that a secret-scanning report comes from the scanner: an ECDSA P-256 / SHA-256
 * signature over the exact body, made with the private half of one of the configured public
 * keys, named by its identifier (GitHub's {@code Github-Public-Key-Identifier} and
 * {@code Github-Public-Key-Signature} headers).
 */
public final class ReportSignatures {
    private static final int P256_FIELD_BITS = 256;

    private final Map<String, PublicKey> keys;

    private ReportSignatures(Map<String, PublicKey> keys) {
        this.keys = Map.copyOf(keys);
    }

    /** No key at all: every report is refused (a deployment that has not configured the scanner's keys). */
    public static ReportSignatures none() {
        return new ReportSignatures(Map.of());
    }

    /**
     * From PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo) keys by identifier.
     *
     * @throws IllegalArgumentException when a key is not PEM or not an EC P-256 key
     */
    public static ReportSignatures fromPem(Map<String, String> pemByIdentifier) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        pemByIdentifier.forEach((identifier, pem) -> keys.put(identifier, parse(identifier, pem)));
        return new ReportSignatures(keys);
    }

    public int size() {
        return keys.size();
    }

    /**
     * True when {@code signatureBase64} (ASN.1 DER, base64) is a valid signature of {@code body}
     * by the key named {@code identifier}. Missing, unknown or malformed parts are false, never an exception.
     */
    public boolean verify(String identifier, String signatureBase64, byte[] body) {
        if (identifier == null || signatureBase64 == null || body == null) {
            return false;
        }
        PublicKey key = keys.get(identifier.strip());
        if (key == null) {
            return false;
        }
        try {
            byte[] signature = Base64.getDecoder().decode(signatureBase64.strip());
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(body);
            return verifier.verify(signature);
        } catch (IllegalArgumentException | GeneralSecurityException malformed) {
            return false;
        }
    }

    private static PublicKey parse(String identifier, String pem) {
        String base64 = pem == null ? "" : pem
                .replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        try {
            PublicKey key = KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.getBytes(StandardCharsets.US_ASCII))));
            if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != P256_FIELD_BITS) {
                throw new IllegalArgumentException("secret-scanning key " + identifier + " is not an EC P-256 key");
            }
            return key;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("secret-scanning key " + identifier + " is not a PEM public key", e);
        }
    }
}
