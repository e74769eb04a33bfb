package dev.keyward.core;

/**
 * A key's state as the API shows it, computed at the moment of asking: {@code expired} from its
 * expiry on (whether or not it is suspended), else {@code disabled} while it is suspended, else
 * {@code active}.
 */
public enum KeyStatus {
    ACTIVE("active"),
    /** Suspended by an admin ({@code "enabled": false}): refused until resumed. */
    DISABLED("disabled"),
    EXPIRED("expired");

    private final String wireName;

    KeyStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
