package dev.keyward.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Changes to a key that leave its credentials alone: its name, its expiry, its scopes, whether it
 * is suspended, the networks it may be used from (the "Edit" screen's PATCH). Ordering rules: the
 * change is one conditional write of the key store (the authorizer, which reads the client item
 * strongly consistent, applies it from the next request on: a key suspended when the PATCH
 * answers is refused by the next check), and its {@code key.updated} event is written with it. A
 * new expiry's range is checked against this use case's clock when it is applied, and what the
 * change sets (an expiry, scopes) against the account's {@link KeyPolicy}; what it leaves alone is not.
 */
public final class KeyUpdates {
    private final KeyPorts ports;

    public KeyUpdates(KeyPorts ports) {
        this.ports = ports;
    }

    /** Gives the key a new name; its credentials do not change. */
    public ApiKey rename(String accountId, String keyId, String rawName, String caller) {
        AccountIds.require(accountId);
        String name = Names.normalize(rawName);
        if (!KeyIds.isWellFormed(keyId)) {
            throw KeywardException.keyNotFound();
        }
        ApiKey key = ports.find(accountId, keyId).key();
        ChangeEvent event = ports.events().key(EventType.KEY_UPDATED, key, ChangeEvent.Actor.admin(caller),
                Map.of("changed", List.of("name")));
        ApiKey renamed = ports.store().rename(key, name, event).orElseThrow(KeywardException::keyNotFound);
        ports.log().info("key_renamed", accountId, keyId);
        return renamed;
    }

    /**
     * Changes what {@code change} names (a null member stays as it is): the name, the expiry (a
     * new one, or {@code Optional.empty()} for never) and the scopes (replacing the key's; empty
     * for none). A change of the name alone is a rename.
     */
    public ApiKey update(String accountId, String keyId, KeyUpdate change, String caller) {
        AccountIds.require(accountId);
        if (!change.changesAccess()) {
            return rename(accountId, keyId, change.name(), caller);
        }
        if (change.expiresAt() != null) {
            change.expiresAt().ifPresent(at -> Expiries.requireInRange(at, ports.clock().instant()));
        }
        if (!KeyIds.isWellFormed(keyId)) {
            throw KeywardException.keyNotFound();
        }
        ApiKey key = ports.find(accountId, keyId).key();
        if (change.expiresAt() != null || change.scopes() != null) {
            // the policy bounds only what a change sets: a suspension or new networks never read it
            KeyPolicy.requireAllowed(ports.store().settings(accountId), change, ports.clock().instant());
        }
        List<String> changed = new ArrayList<>();
        if (change.name() != null) {
            changed.add("name");
        }
        if (change.expiresAt() != null) {
            changed.add("expiresAt");
        }
        if (change.scopes() != null) {
            changed.add("scopes");
        }
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("changed", changed);
        if (change.enabled() != null) {
            changed.add("enabled");
            data.put("enabled", change.enabled());
        }
        if (change.networks() != null) {
            changed.add("allowedCidrs");
        }
        ChangeEvent event = ports.events().key(EventType.KEY_UPDATED, key, ChangeEvent.Actor.admin(caller), data);
        ApiKey updated = ports.store().update(key, change, event).orElseThrow(KeywardException::keyNotFound);
        ports.log().info("key_updated", accountId, keyId);
        return updated;
    }
}
