package dev.keyward.core;

/** The types of {@link ChangeEvent}, as infra/events.schema.json names them. */
public enum EventType {
    KEY_CREATED("key.created"),
    /** Its name, expiry or scopes changed: {@code data.changed} says which. */
    KEY_UPDATED("key.updated"),
    KEY_ROTATED("key.rotated"),
    /** By an admin, by the housekeeping (expired) or by secret scanning (leaked): {@code data.reason}. */
    KEY_DELETED("key.deleted"),
    KEY_SECRET_VIEWED("key.secret_viewed"),
    /** A secret scanner found a live secret of the key: {@code data.action} is what Keyward did. */
    KEY_LEAKED("key.leaked"),
    /** 7 days, then 1 day, before the key expires: {@code data.daysLeft}. */
    KEY_EXPIRING("key.expiring"),
    KEY_EXPIRED("key.expired"),
    SETTINGS_UPDATED("settings.updated");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
