package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.core.ErrorCode;
import dev.keyward.http.Problems;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The functions answer every error code with the status infra/openapi.yaml gives it in
 * x-keyward-errors, the list the README's error table is generated from.
 */
class ErrorCatalogTest {
    @Test
    @SuppressWarnings("unchecked")
    void everyErrorCode_shouldHaveTheStatusTheSpecGivesIt() throws Exception {
        Map<String, Object> spec = CfnYaml.read(Path.of("../infra/openapi.yaml"));
        Map<String, Object> code = (Map<String, Object>) dig(spec, "components", "schemas", "Problem", "properties", "code");
        Map<String, Object> documented = new LinkedHashMap<>();
        for (Map<String, Object> entry : (List<Map<String, Object>>) code.get("x-keyward-errors")) {
            documented.put((String) entry.get("code"), entry.get("status"));
        }

        for (ErrorCode error : ErrorCode.values()) {
            assertTrue(documented.containsKey(error.code()),
                    error.code() + " is missing from x-keyward-errors in infra/openapi.yaml: add it with its status and meaning");
            int answered = Problems.of(error, "detail", null, Map.of()).statusCode();
            assertEquals(documented.get(error.code()), answered,
                    error.code() + ": the functions answer " + answered + ", infra/openapi.yaml says " + documented.get(error.code()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Object dig(Map<String, Object> map, String... path) {
        Object here = map;
        for (String name : path) {
            here = ((Map<String, Object>) here).get(name);
        }
        return here;
    }
}
