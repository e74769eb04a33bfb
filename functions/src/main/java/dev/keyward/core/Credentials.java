package dev.keyward.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * Client IDs and Client Secrets.
 *
 * <p>A secret is {@code kw_sec_} + 40 random base62 characters + 6 base62 characters of CRC32
 * over what precedes them. The prefix is Keyward's alone (unlike {@code cs_}, which Stripe and
 * WooCommerce use too), so a secret scanner matching {@link #SECRET_PATTERN} reports Keyward
 * secrets and nothing else; the checksum lets a typo or a forged value be refused without a lookup.
 */
public final class Credentials {
    public static final String CLIENT_ID_PREFIX = "kw_cid_";
    public static final String SECRET_PREFIX = "kw_sec_";
    static final int CLIENT_ID_RANDOM = 22;
    static final int SECRET_RANDOM = 40;
    static final int CHECKSUM = 6;
    public static final int CLIENT_ID_LENGTH = CLIENT_ID_PREFIX.length() + CLIENT_ID_RANDOM;
    public static final int SECRET_LENGTH = SECRET_PREFIX.length() + SECRET_RANDOM + CHECKSUM;

    /** What a secret scanner should match: the whole secret, not part of a longer word. */
    public static final String SECRET_PATTERN = "\\bkw_sec_[0-9A-Za-z]{46}\\b";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Credentials() {
    }

    public static String newClientId() {
        return CLIENT_ID_PREFIX + Base62.random(RANDOM, CLIENT_ID_RANDOM);
    }

    public static String newClientSecret() {
        String body = SECRET_PREFIX + Base62.random(RANDOM, SECRET_RANDOM);
        return body + checksum(body);
    }

    public static boolean isWellFormedClientId(String clientId) {
        return clientId != null
                && clientId.length() == CLIENT_ID_LENGTH
                && clientId.startsWith(CLIENT_ID_PREFIX)
                && Base62.isBase62(clientId, CLIENT_ID_PREFIX.length(), CLIENT_ID_LENGTH);
    }

    /** True when the secret has the right shape and its checksum matches; no lookup involved. */
    public static boolean isWellFormedSecret(String secret) {
        if (secret == null || secret.length() != SECRET_LENGTH || !secret.startsWith(SECRET_PREFIX)
                || !Base62.isBase62(secret, SECRET_PREFIX.length(), SECRET_LENGTH)) {
            return false;
        }
        int split = SECRET_LENGTH - CHECKSUM;
        return checksum(secret.substring(0, split)).equals(secret.substring(split));
    }

    /** SHA-256 of the secret, hex: what the client lookup stores instead of the secret. */
    public static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return Base62.fixedWidth(crc.getValue(), CHECKSUM);
    }
}
