package dev.keyward.core;

import java.util.Optional;

/**
 * Where each key's Client ID and Client Secret are kept for the "Edit" view and for integrations.
 *
 * <p>{@code requestId} names one logical write: repeating a write with the same id (a retry
 * after a lost answer) is the same request, never a second secret or a second version.
 */
public interface SecretVault {

    /**
     * Stores the credentials of a new key. If the key's secret exists already (an earlier
     * attempt of the same create stored it), that secret is kept and its credentials answered.
     *
     * @return the stored secret: its reference (an ARN on AWS) and the credentials it holds
     * @throws OutcomeUnknownException when it cannot be told whether the secret was stored
     */
    StoredSecret store(String accountId, String keyId, String clientId, String clientSecret, String requestId);

    /**
     * Makes {@code clientSecret} the current value of the secret behind {@code secretRef}; the
     * Client ID stays.
     *
     * @throws KeywardException {@link ErrorCode#KEY_NOT_FOUND} when that secret no longer exists
     * @throws OutcomeUnknownException when it cannot be told whether the value became current
     */
    void replace(String secretRef, String clientId, String clientSecret, String requestId);

    /** The current Client Secret behind {@code secretRef}, or empty if it is gone. */
    Optional<String> read(String secretRef);

    /** The Client Secret that the write named {@code requestId} stored, or empty if it is gone. */
    Optional<String> readVersion(String secretRef, String requestId);

    /** Deletes the key's secret at once and for good; a secret already gone is not an error. */
    void destroy(String accountId, String keyId);

    /** A stored secret: where it is and what it holds. */
    record StoredSecret(String ref, String clientId, String clientSecret) {
        @Override
        public String toString() {
            return "StoredSecret[ref=" + ref + ", clientId=" + clientId + ", clientSecret=<redacted>]";
        }
    }
}
