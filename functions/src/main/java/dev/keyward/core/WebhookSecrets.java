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
     * one and the one it replaced, with its end), if the version {@link #read} found
     * ({@code replacing}) is still the one in force: of two rotations that read the same version,
     * one replaces it and the other changes nothing.
     *
     * @return false, having changed nothing, when another replacement came first
     */
    boolean replace(String accountId, String endpointId, WebhookSigningSecrets secrets, String replacing, String requestId);

    /** The endpoint's signing secrets and their version, in one read, or empty when they are gone. */
    Optional<Found> read(String accountId, String endpointId);

    /** What {@link #read} found: the signing secrets, and the version a {@link #replace} must still find in force. */
    record Found(WebhookSigningSecrets secrets, String version) {
        @Override
        public String toString() {
            return "Found[secrets=<redacted>, version=" + version + "]";
        }
    }

    /** Deletes the secret at once and for good; one already gone is not an error. */
    void destroy(String accountId, String endpointId);
}
