package dev.keyward.core;

/**
 * What an admin reads: a key with its secret (the "Edit" view), a page of keys, a page of the
 * account's audit trail. Ordering rule: the view of a secret is recorded in the audit trail before
 * the secret is read, so no secret is shown unrecorded; a failure to record it fails the request.
 */
public final class KeyViews {
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 100;

    private final KeyPorts ports;

    public KeyViews(KeyPorts ports) {
        this.ports = ports;
    }

    /** The key with its Client Secret: the "Edit" view. The view is audited before the secret is read. */
    public KeyWithSecret get(String accountId, String keyId, String caller) {
        StoredKey stored = ports.find(accountId, keyId);
        ports.recorder().secretViewed(stored.key(), caller);
        String secret = ports.vault().read(stored.secretRef()).orElseThrow(() -> {
            if (ports.store().find(accountId, keyId).isEmpty()) {
                return KeywardException.keyNotFound(); // deleted since it was read
            }
            return ports.secretMissing(accountId, keyId);
        });
        ports.log().info("secret_viewed", accountId, keyId);
        return new KeyWithSecret(stored.key(), secret);
    }

    /** A page of the account's keys, oldest first. */
    public KeyPage list(String accountId, Integer limit, String cursor) {
        AccountIds.require(accountId);
        int pageSize = pageSize(limit);
        String after = cursor == null ? null : Cursors.decode(cursor);
        KeyStore.Page page = ports.store().list(accountId, pageSize, after);
        return new KeyPage(page.keys(), page.lastKeyId() == null ? null : Cursors.encode(page.lastKeyId()));
    }

    /** The account's audit trail, newest first. */
    public AuditPage audit(String accountId, Integer limit, String cursor) {
        AccountIds.require(accountId);
        int pageSize = pageSize(limit);
        String after = cursor == null ? null : Cursors.decodeAuditId(cursor);
        AuditTrail.Page page = ports.audit().list(accountId, pageSize, after);
        return new AuditPage(page.events(), page.lastId() == null ? null : Cursors.encode(page.lastId()));
    }

    private static int pageSize(Integer limit) {
        int pageSize = limit == null ? DEFAULT_PAGE_SIZE : limit;
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new KeywardException(ErrorCode.INVALID_LIMIT,
                    "limit must be a whole number from 1 to " + MAX_PAGE_SIZE + ".");
        }
        return pageSize;
    }
}
