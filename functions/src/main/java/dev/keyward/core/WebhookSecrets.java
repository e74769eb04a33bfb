package dev.keyward.core;

import java.util.Optional;

/**
 * The endpoints' signing secrets ({@code whsec_...}), kept apart from the keys' secrets so that
 * the delivery function may read these and nothing else.
 */
public interface WebhookSecrets {
    /** Stores the secret of a new endpoint; repeating it with the same {@code requestId} stores nothing new. */
    void store(String accountId, String endpointId, String secret, String requestId);

    /**
     * Makes {@code secrets} the endpoint's signing secrets from now on (after a rotation, the new
     * one and the one it replaced, with its end).
     */
    void replace(String accountId, String endpointId, WebhookSigningSecrets secrets, String requestId);

    /** The endpoint's signing secrets, in one read, or empty when they are gone. */
    Optional<WebhookSigningSecrets> read(String accountId, String endpointId);

    /** Deletes the secret at once and for good; one already gone is not an error. */
    void destroy(String accountId, String endpointId);
}
