package dev.keyward.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deletes a key for good: its Client ID is refused from the moment the delete returns.
 *
 * <p>Ordering rules (see {@link KeyPorts} for the failure model):
 * <ol>
 *   <li>read the key: nothing written yet;</li>
 *   <li>remove key and client, decrement the count, note the secret and write the
 *       {@code key.deleted} event in one transaction
 *       ({@link KeyStore#delete}): the moment it commits, the key is refused. Unknown outcome: the
 *       key is read back; gone means 204, present means 503 with nothing changed (a retry deletes
 *       it). A condition refused because the key is already gone (the SDK retried an applied
 *       transaction, or another delete won) is 204 too;</li>
 *   <li>destroy the secret, then drop the note. A failure in either leaves the note, and the
 *       sweep destroys the secret; the caller still gets 204, since the key is gone and its
 *       secret belongs to no key.</li>
 * </ol>
 * {@link Housekeeping#deleteExpiredKeys} ends the same way once its own transaction removed a key.
 */
public final class KeyDeletion {
    private final KeyPorts ports;

    public KeyDeletion(KeyPorts ports) {
        this.ports = ports;
    }

    /** Deletes the key for good: its Client ID is refused from the moment this returns. */
    public void delete(String accountId, String keyId, String caller) {
        StoredKey found = ports.find(accountId, keyId);
        remove(found, List.of(deleted(found.key(), ChangeEvent.Actor.admin(caller), "admin")));
    }

    /**
     * Deletes a key whose live secret a scanner found at {@code url}: its {@code key.deleted} (reason
     * leaked) and {@code key.leaked} (action revoked) events are written with the removal.
     */
    void revokeLeaked(String accountId, String keyId, String url) {
        StoredKey found = ports.find(accountId, keyId);
        Map<String, Object> leak = new LinkedHashMap<>();
        leak.put("action", "revoked");
        leak.put("url", url);
        remove(found, List.of(deleted(found.key(), ChangeEvent.Actor.secretScanning(), "leaked"),
                ports.events().key(EventType.KEY_LEAKED, found.key(), ChangeEvent.Actor.secretScanning(), leak)));
    }

    /** A key's {@code key.deleted} event: {@code reason} admin, expired or leaked. */
    static ChangeEvent deleted(KeyPorts ports, ApiKey key, ChangeEvent.Actor actor, String reason) {
        return ports.events().key(EventType.KEY_DELETED, key, actor, Map.of("reason", reason));
    }

    private ChangeEvent deleted(ApiKey key, ChangeEvent.Actor actor, String reason) {
        return deleted(ports, key, actor, reason);
    }

    private void remove(StoredKey found, List<ChangeEvent> events) {
        String accountId = found.key().accountId();
        String keyId = found.key().id();
        boolean removed;
        try {
            removed = ports.store().delete(found, ports.clock().instant(), events);
        } catch (OutcomeUnknownException e) {
            if (ports.store().find(accountId, keyId).isPresent()) {
                throw e;
            }
            removed = true; // gone: the transaction was applied after all (or another delete's was)
        }
        if (!removed) {
            // two deletes of one key: the other one removed it, and answers 204
            throw KeywardException.keyNotFound();
        }
        removed(ports, "key_deleted", accountId, keyId);
    }

    /** Step 3, once a key's removal committed: destroy its secret. */
    static void removed(KeyPorts ports, String event, String accountId, String keyId) {
        ports.log().info(event, accountId, keyId);
        ports.destroyOrphanSecret(accountId, keyId, null);
    }
}
