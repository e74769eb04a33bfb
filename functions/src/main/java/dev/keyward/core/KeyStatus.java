package dev.keyward.core;

/** A key's state as the API shows it, computed from its expiry at the moment of asking. */
public enum KeyStatus {
    ACTIVE("active"),
    EXPIRED("expired");

    private final String wireName;

    KeyStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
