package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.core.Cursors;
import dev.keyward.core.KeywardException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The cursor patterns of infra/openapi.yaml take exactly what {@link Cursors} takes: a request the
 * spec calls valid is never answered invalid_cursor, and one it calls invalid always is.
 */
class CursorPatternTest {
    private static final String ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final int CASES = 200_000;

    @Test
    void keyCursorPattern_shouldTakeExactlyWhatCursorsTakes() throws Exception {
        assertSameSet(cursorPattern("/accounts/{accountId}/keys"), "key_", Cursors::decode);
    }

    @Test
    void auditCursorPattern_shouldTakeExactlyWhatCursorsTakes() throws Exception {
        assertSameSet(cursorPattern("/accounts/{accountId}/audit"), "evt_", Cursors::decodeAuditId);
    }

    private static void assertSameSet(Pattern pattern, String prefix, java.util.function.Function<String, String> decode) {
        Predicate<String> accepted = cursor -> {
            try {
                decode.apply(cursor);
                return true;
            } catch (KeywardException e) {
                return false;
            }
        };
        Random random = new Random(20261128);
        int taken = 0;
        for (int i = 0; i < CASES; i++) {
            StringBuilder id = new StringBuilder(prefix);
            for (int j = 0; j < 26; j++) {
                id.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
            }
            String cursor = Base64.getUrlEncoder().encodeToString(("1:" + id).getBytes(StandardCharsets.US_ASCII));
            if (random.nextBoolean()) {
                cursor = cursor.replace("=", "");
            }
            StringBuilder mutated = new StringBuilder(cursor);
            for (int k = random.nextInt(3); k > 0; k--) {
                mutated.setCharAt(random.nextInt(mutated.length()), (BASE64URL + "=").charAt(random.nextInt(BASE64URL.length() + 1)));
            }
            if (random.nextInt(20) == 0) {
                mutated.setLength(random.nextInt(mutated.length() + 1));
            }
            String candidate = mutated.toString();
            boolean takes = accepted.test(candidate);
            taken += takes ? 1 : 0;
            assertEquals(takes, pattern.matcher(candidate).matches(),
                    candidate + (takes ? " is taken by the API but not by the spec's pattern" : " matches the spec's pattern but the API refuses it"));
        }
        assertTrue(taken > CASES / 50, "too few accepted cursors among the cases: " + taken);
    }

    @SuppressWarnings("unchecked")
    private static Pattern cursorPattern(String path) throws java.io.IOException {
        Map<String, Object> spec = CfnYaml.read(Path.of("../infra/openapi.yaml"));
        Map<String, Object> get = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) spec.get("paths")).get(path)).get("get");
        for (Map<String, Object> parameter : (List<Map<String, Object>>) get.get("parameters")) {
            if ("cursor".equals(parameter.get("name"))) {
                return Pattern.compile((String) ((Map<String, Object>) parameter.get("schema")).get("pattern"));
            }
        }
        throw new AssertionError(path + " has no cursor parameter");
    }
}
