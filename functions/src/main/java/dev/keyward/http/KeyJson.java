package dev.keyward.http;

import dev.keyward.core.ApiKey;
import dev.keyward.core.KeyPage;
import dev.keyward.core.KeyWithSecret;
import dev.keyward.core.RotatedKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keys as the API shows them: {@code {"id","name","clientId","clientSecret"?,"createdAt","lastUsedAt"?,"leaked"?}}. */
public final class KeyJson {
    private KeyJson() {
    }

    public static Map<String, Object> withSecret(KeyWithSecret key) {
        Map<String, Object> json = withoutSecret(key.key());
        Map<String, Object> ordered = new LinkedHashMap<>();
        json.forEach((name, value) -> {
            ordered.put(name, value);
            if (name.equals("clientId")) {
                ordered.put("clientSecret", key.clientSecret());
            }
        });
        return ordered;
    }

    public static Map<String, Object> withoutSecret(ApiKey key) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", key.id());
        json.put("name", key.name());
        json.put("clientId", key.clientId());
        json.put("createdAt", key.createdAt().toString());
        if (key.lastUsedAt() != null) {
            json.put("lastUsedAt", key.lastUsedAt().toString());
        }
        if (key.leaked() != null) {
            Map<String, Object> leaked = new LinkedHashMap<>();
            leaked.put("at", key.leaked().at().toString());
            leaked.put("url", key.leaked().url());
            json.put("leaked", leaked);
        }
        return json;
    }

    /** The key with its new secret, and until when the previous secret still works (if at all). */
    public static Map<String, Object> rotated(RotatedKey rotated) {
        Map<String, Object> json = withSecret(rotated.key());
        if (rotated.previousValidUntil() != null) {
            json.put("previousSecretValidUntil", rotated.previousValidUntil().toString());
        }
        return json;
    }

    public static Map<String, Object> page(KeyPage page) {
        List<Map<String, Object>> keys = new ArrayList<>(page.keys().size());
        page.keys().forEach(key -> keys.add(withoutSecret(key)));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("keys", keys);
        json.put("nextCursor", page.nextCursor());
        return json;
    }
}
