package dev.keyward.core;

import dev.keyward.http.KeyRequests;
import dev.keyward.http.SettingsRequests;
import java.time.Clock;
import java.util.Map;

/**
 * The key use cases over one set of ports, as the tests drive them: each test reaches the use case
 * it exercises ({@code keys.creation().create(...)}), and the JSON-shaped inputs some tests give
 * are parsed as the API parses them ({@link KeyRequests}).
 */
public record UseCases(KeyPorts ports, KeyCreation creation, KeyViews views, KeyUpdates updates,
                       KeyRotation rotation, KeyDeletion deletion, Housekeeping housekeeping,
                       AccountSettingsService settings) {

    public UseCases(KeyPorts ports) {
        this(ports, new KeyCreation(ports), new KeyViews(ports), new KeyUpdates(ports), new KeyRotation(ports),
                new KeyDeletion(ports), new Housekeeping(ports), new AccountSettingsService(ports));
    }

    /** Without an idempotency store: requests with an Idempotency-Key are refused. */
    public UseCases(KeyStore store, ClientStore clients, SecretVault vault, AuditTrail audit, Clock clock,
                    int keyLimit, EventLog log) {
        this(new KeyPorts(store, clients, vault, audit, clock, keyLimit, log));
    }

    public UseCases(KeyStore store, ClientStore clients, SecretVault vault, AuditTrail audit,
                    IdempotencyStore idempotency, Clock clock, int keyLimit, EventLog log) {
        this(new KeyPorts(store, clients, vault, audit, idempotency, clock, keyLimit, log));
    }

    /** A create's members as JSON gives them, parsed as the API parses them ({@code rawScopes} null: none given). */
    public static NewKey newKey(String accountId, String name, Object rawExpiresAt, Object rawScopes) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("name", name);
        body.put("expiresAt", rawExpiresAt);
        if (rawScopes != null) {
            body.put("scopes", rawScopes);
        }
        return KeyRequests.newKey(body, accountId);
    }

    /** A PATCH body as JSON gives it, parsed as the API parses it. */
    public static KeyUpdate keyUpdate(String accountId, Map<String, Object> body) {
        return KeyRequests.keyUpdate(body, accountId);
    }

    /** A settings body as JSON gives it, parsed as the API parses it. */
    public static SettingsChange settingsChange(String accountId, Map<String, Object> body) {
        return SettingsRequests.settingsChange(body, accountId);
    }
}
