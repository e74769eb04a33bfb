package dev.keyward.http;

import dev.keyward.core.AccountIds;
import dev.keyward.core.ErrorCode;
import dev.keyward.core.Expiries;
import dev.keyward.core.KeyUpdate;
import dev.keyward.core.Names;
import dev.keyward.core.Networks;
import dev.keyward.core.NewKey;
import dev.keyward.core.Scopes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * The key routes' bodies, parsed into the typed requests {@code core} takes. Each member is checked
 * in the order the API has always checked it, the path's account id at its place among them, so a
 * request with several mistakes is answered about the same one.
 */
public final class KeyRequests {
    private KeyRequests() {
    }

    /**
     * {@code POST /accounts/{accountId}/keys {"name": "...", "expiresAt"?: "..." | null, "scopes"?: [...],
     * "allowedCidrs"?: [...] | null}}. The expiry is checked for its format here; its range when the key is made.
     */
    public static NewKey newKey(ApiRequest request) {
        return newKey(request.jsonObject(Set.of("name", "expiresAt", "scopes", "allowedCidrs")),
                request.pathParameter("accountId"));
    }

    /** A create's body, parsed; {@code accountId} is checked at its place among the members. */
    public static NewKey newKey(Map<String, Object> body, String accountId) {
        String rawName = JsonBodies.optionalString(body, "name", ErrorCode.INVALID_NAME);
        AccountIds.require(accountId);
        String name = Names.normalize(rawName);
        Object rawExpiresAt = body.get("expiresAt");
        Instant expiresAt = rawExpiresAt == null ? null : expiresAt(rawExpiresAt);
        SortedSet<String> scopes = body.containsKey("scopes") ? scopes(body.get("scopes")) : Scopes.NONE;
        return new NewKey(name, expiresAt, scopes, networks(body.get("allowedCidrs")));
    }

    /**
     * {@code PATCH /accounts/{accountId}/keys/{keyId} {"name"?, "expiresAt"?, "scopes"?, "enabled"?,
     * "allowedCidrs"?}}: a member left out stays as it is; {@code "expiresAt": null} makes the key
     * never expire, {@code "allowedCidrs": null} (or []) usable from any address.
     */
    public static KeyUpdate keyUpdate(ApiRequest request) {
        return keyUpdate(request.jsonObject(Set.of("name", "expiresAt", "scopes", "enabled", "allowedCidrs")),
                request.pathParameter("accountId"));
    }

    /** A PATCH body, parsed; {@code accountId} is checked first. */
    @SuppressWarnings("OptionalAssignedToNull") // null: expiresAt left out
    public static KeyUpdate keyUpdate(Map<String, Object> body, String accountId) {
        AccountIds.require(accountId);
        boolean nameOnly = !body.containsKey("expiresAt") && !body.containsKey("scopes")
                && !body.containsKey("enabled") && !body.containsKey("allowedCidrs");
        String name = null;
        if (nameOnly || body.containsKey("name")) {
            // a name that is not a string is no name: "A name is required."
            name = Names.normalize(body.get("name") instanceof String s ? s : null);
        }
        Optional<Instant> expiresAt = null;
        if (body.containsKey("expiresAt")) {
            Object raw = body.get("expiresAt");
            expiresAt = raw == null ? Optional.empty() : Optional.of(expiresAt(raw));
        }
        SortedSet<String> scopes = body.containsKey("scopes") ? scopes(body.get("scopes")) : null;
        Boolean enabled = body.containsKey("enabled") ? enabled(body.get("enabled")) : null;
        Networks networks = body.containsKey("allowedCidrs") ? networks(body.get("allowedCidrs")) : null;
        return new KeyUpdate(name, expiresAt, scopes, enabled, networks);
    }

    /** {@code enabled} as JSON gives it: true or false, nothing else. */
    static Boolean enabled(Object raw) {
        if (!(raw instanceof Boolean enabled)) {
            throw new dev.keyward.core.KeywardException(ErrorCode.INVALID_ENABLED,
                    "'enabled' must be true (the key works) or false (it is suspended).");
        }
        return enabled;
    }

    /** The networks as JSON gives them: an array of CIDR ranges; null or [] for any address. */
    public static Networks networks(Object raw) {
        if (raw == null) {
            return Networks.ANY;
        }
        if (!(raw instanceof Collection<?> items)) {
            throw Networks.notAList();
        }
        List<String> ranges = new ArrayList<>(items.size());
        for (Object item : items) {
            ranges.add(item instanceof String range ? range : null); // not a string: refused by its position
        }
        return Networks.of(ranges);
    }

    /** An expiry as JSON gives it: a string in RFC 3339, checked for its format. */
    public static Instant expiresAt(Object raw) {
        if (!(raw instanceof String text)) {
            throw Expiries.notATimestamp();
        }
        return Expiries.parseFormat(text);
    }

    /** Scopes as JSON gives them: an array of scope names. */
    public static SortedSet<String> scopes(Object raw) {
        if (!(raw instanceof Collection<?> items)) {
            throw Scopes.notAList();
        }
        List<String> names = new ArrayList<>(items.size());
        for (Object item : items) {
            names.add(item instanceof String scope ? scope : null); // not a string: refused as no scope name
        }
        return Scopes.of(names);
    }
}
