package dev.keyward.core;

/**
 * Walks the key use cases' AWS paths without writing anything, for priming a function before a
 * SnapStart snapshot. Everything it reads is under {@link #PRIMING_ACCOUNT}, an account Keyward
 * never stores keys under: ordering rules do not arise, since nothing is written.
 */
public final class KeyPriming {
    /** The account priming reads from: not a valid place for keys to exist, only ever read. */
    public static final String PRIMING_ACCOUNT = "keyward-priming";
    /** A key id no key has (ULIDs of time zero are never issued). */
    public static final String PRIMING_KEY = "key_00000000000000000000000000";
    private static final String PRIMING_SECRET = "keyward/" + PRIMING_ACCOUNT + "/" + PRIMING_KEY;

    private final KeyPorts ports;

    public KeyPriming(KeyPorts ports) {
        this.ports = ports;
    }

    /**
     * Create's path: the account's key count, a secret read (which builds the Secrets Manager
     * client), a Client ID, a Client Secret, its hash and a key id.
     */
    public void primeCreate() {
        ports.store().count(PRIMING_ACCOUNT);
        primeVault();
        Credentials.hash(Credentials.newClientSecret() + Credentials.newClientId());
        ports.keyIds().get();
    }

    /** One read of a secret that does not exist: the Secrets Manager path of get, rotate and delete, writing nothing. */
    public void primeVault() {
        ports.vault().read(PRIMING_SECRET);
    }
}
