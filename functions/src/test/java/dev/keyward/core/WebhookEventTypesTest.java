package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookEventTypesTest {
    @Test
    void keeps_each_known_type_once_in_order() {
        assertEquals(List.of("key.created", "key.deleted"),
                List.copyOf(WebhookEventTypes.of(List.of("key.deleted", "key.created", "key.deleted"))));
        assertEquals(WebhookEventTypes.ALL, WebhookEventTypes.of(WebhookEventTypes.ALL));
        assertThrows(UnsupportedOperationException.class,
                () -> WebhookEventTypes.of(List.of("key.created")).add("key.deleted"));
    }

    @Test
    void refuses_none_an_unknown_type_and_a_member_that_is_no_string() {
        for (List<String> types : Arrays.asList(null, List.<String>of(), List.of("key.created", "key.exploded"),
                List.of(WebhookEventTypes.TEST), Arrays.asList("key.created", null))) {
            KeywardException refused = assertThrows(KeywardException.class, () -> WebhookEventTypes.of(types));
            assertEquals(ErrorCode.INVALID_WEBHOOK_EVENTS, refused.code());
            assertTrue(refused.detail().contains("key.created, key.deleted"), refused.detail());
        }
    }
}
