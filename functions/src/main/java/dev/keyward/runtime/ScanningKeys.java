package dev.keyward.runtime;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.ReportSignatures;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The secret scanner's public keys, from {@code SECRET_SCANNING_PUBLIC_KEYS}: the JSON its key
 * list answers, {@code {"public_keys": [{"key_identifier": "...", "key": "-----BEGIN PUBLIC KEY-----..."}]}}
 * (GitHub's {@code GET /meta/public_keys/secret_scanning}), so a deployment passes that answer as
 * it is. Unset or blank: no key, and every report is refused.
 */
public final class ScanningKeys {
    public static final String VARIABLE = "SECRET_SCANNING_PUBLIC_KEYS";

    private ScanningKeys() {
    }

    public static ReportSignatures fromEnvironment() {
        return parse(System.getenv(VARIABLE));
    }

    /** @throws IllegalStateException when the value is not that JSON, or a key is not EC P-256 PEM */
    public static ReportSignatures parse(String json) {
        if (json == null || json.isBlank()) {
            return ReportSignatures.none();
        }
        Map<String, String> pems = new LinkedHashMap<>();
        try {
            Map<String, Object> root = JSON.std.mapFrom(json);
            if (!(root.get("public_keys") instanceof List<?> keys)) {
                throw new IllegalStateException(VARIABLE + " has no \"public_keys\" list");
            }
            for (Object entry : keys) {
                if (!(entry instanceof Map<?, ?> key) || !(key.get("key_identifier") instanceof String id)
                        || !(key.get("key") instanceof String pem)) {
                    throw new IllegalStateException(VARIABLE + ": each key needs \"key_identifier\" and \"key\"");
                }
                pems.put(id, pem);
            }
            return ReportSignatures.fromPem(pems);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(VARIABLE + " is not a valid key list: " + e.getMessage(), e);
        }
    }
}
