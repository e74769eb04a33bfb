package dev.keyward.core;

import java.util.Optional;

/** The Client ID lookup that verification reads, and that rotation changes. */
public interface ClientStore {

    /** The client, read strongly consistent (a deleted key must be refused at once), or empty. */
    Optional<ClientRecord> find(String clientId);

    /**
     * Writes {@code next}'s secrets, revision and lease if the stored client still exists and is
     * at {@code current}'s revision; never creates a client. In the same step, every secret
     * {@code next} accepts can be looked up by its hash, and the secrets {@code current} accepted
     * but {@code next} does not are retired from that lookup.
     *
     * @return false when the client is gone or was changed in the meantime
     */
    default boolean replace(ClientRecord current, ClientRecord next) {
        return replace(current, next, null);
    }

    /** {@link #replace(ClientRecord, ClientRecord)}, and writes {@code event} (when not null) in the same step. */
    boolean replace(ClientRecord current, ClientRecord next, ChangeEvent event);
}
