package dev.keyward.http;

import dev.keyward.core.ApiKey;
import dev.keyward.core.KeyPage;
import dev.keyward.core.KeyWithSecret;
import dev.keyward.core.RotatedKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keys as the API shows them: {@code {"id","name","clientId","clientSecret"?,"createdAt","lastUsedAt",
 * "expiresAt","status","enabled","scopes","allowedCidrs","leaked"}}, {@code status} computed at {@code now} (see {@link ApiKey#status}).
 * One style for every answer: a member that has no value is present as {@code null} (as
 * {@code nextCursor} is on the last page), never left out, and every time is UTC with exactly
 * three fraction digits ({@code 2026-11-27T19:00:02.000Z}).
 */
public final class KeyJson {
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private KeyJson() {
    }

    /** A time as every answer writes it, at millisecond precision; null stays null. */
    public static String time(Instant instant) {
        return instant == null ? null : MILLIS.format(instant);
    }

    /** The key with its secret; its status as of the answer's own time when it has one (a replay's). */
    public static Map<String, Object> withSecret(KeyWithSecret key, Instant now) {
        Map<String, Object> json = withoutSecret(key.key(), key.asOf() != null ? key.asOf() : now);
        Map<String, Object> ordered = new LinkedHashMap<>();
        json.forEach((name, value) -> {
            ordered.put(name, value);
            if (name.equals("clientId")) {
                ordered.put("clientSecret", key.clientSecret());
            }
        });
        return ordered;
    }

    public static Map<String, Object> withoutSecret(ApiKey key, Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", key.id());
        json.put("name", key.name());
        json.put("clientId", key.clientId());
        json.put("createdAt", time(key.createdAt()));
        json.put("lastUsedAt", time(key.lastUsedAt()));
        json.put("expiresAt", time(key.expiresAt()));
        json.put("status", key.status(now).wireName());
        json.put("enabled", key.enabled());
        json.put("scopes", List.copyOf(key.scopes()));
        json.put("allowedCidrs", key.networks().texts());
        Map<String, Object> leaked = null;
        if (key.leaked() != null) {
            leaked = new LinkedHashMap<>();
            leaked.put("at", time(key.leaked().at()));
            leaked.put("url", key.leaked().url());
        }
        json.put("leaked", leaked);
        return json;
    }

    /** The key with its new secret, and until when the previous secret still works (null: not at all). */
    public static Map<String, Object> rotated(RotatedKey rotated, Instant now) {
        Map<String, Object> json = withSecret(rotated.key(), now);
        json.put("previousSecretValidUntil", time(rotated.previousValidUntil()));
        return json;
    }

    public static Map<String, Object> page(KeyPage page, Instant now) {
        List<Map<String, Object>> keys = new ArrayList<>(page.keys().size());
        page.keys().forEach(key -> keys.add(withoutSecret(key, now)));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("keys", keys);
        json.put("nextCursor", page.nextCursor());
        return json;
    }
}
