package dev.keyward.core;

/** A key as the store holds it: its metadata and where its secret lives. */
public record StoredKey(ApiKey key, String secretRef) {
}
