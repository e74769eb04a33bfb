package dev.keyward.core;

/**
 * Deletes a key for good: its Client ID is refused from the moment the delete returns.
 *
 * <p>Ordering rules (see {@link KeyPorts} for the failure model):
 * <ol>
 *   <li>read the key: nothing written yet;</li>
 *   <li>remove key and client, decrement the count and note the secret in one transaction
 *       ({@link KeyStore#delete}): the moment it commits, the key is refused. Unknown outcome: the
 *       key is read back; gone means 204, present means 503 with nothing changed (a retry deletes
 *       it). A condition refused because the key is already gone (the SDK retried an applied
 *       transaction, or another delete won) is 204 too;</li>
 *   <li>record the audit event: a failure is logged;</li>
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
        boolean removed;
        try {
            removed = ports.store().delete(found, ports.clock().instant());
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
        removed(ports, "key_deleted", accountId, keyId, caller);
    }

    /** Steps 3 and 4, once a key's removal committed: audit it, then destroy its secret. */
    static void removed(KeyPorts ports, String event, String accountId, String keyId, String caller) {
        ports.log().info(event, accountId, keyId);
        ports.recorder().changed(accountId, AuditAction.DELETED, keyId, caller);
        ports.destroyOrphanSecret(accountId, keyId, null);
    }
}
