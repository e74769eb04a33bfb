package dev.keyward.core;

import java.util.Optional;

/** Where each key's Client ID and Client Secret are kept for the "Edit" view and for integrations. */
public interface SecretVault {

    /**
     * Stores the credentials of a new key; safe to retry with the same arguments.
     *
     * @return a reference to the stored secret (an ARN on AWS)
     */
    String store(String accountId, String keyId, String clientId, String clientSecret);

    /**
     * Makes {@code clientSecret} the current value of the secret behind {@code secretRef}; the
     * Client ID stays.
     *
     * @throws KeywardException {@link ErrorCode#KEY_NOT_FOUND} when that secret no longer exists
     */
    void replace(String secretRef, String clientId, String clientSecret);

    /** The Client Secret behind {@code secretRef}, or empty if it is gone. */
    Optional<String> read(String secretRef);

    /** Deletes the key's secret at once and for good; a secret already gone is not an error. */
    void destroy(String accountId, String keyId);
}
