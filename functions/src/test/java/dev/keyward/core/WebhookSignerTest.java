package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    @Test
    void signs_as_the_standard_webhooks_reference_library_does() {
        // the reference library (standardwebhooks on PyPI, 1.1.0) signs this message so
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSigner.signature(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}"));
    }

    @Test
    void the_id_the_timestamp_and_the_body_are_each_signed() {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String signature = WebhookSigner.signature(secret, "msg_1", 1614265330L, "{}");
        assertNotEquals(signature, WebhookSigner.signature(secret, "msg_2", 1614265330L, "{}"));
        assertNotEquals(signature, WebhookSigner.signature(secret, "msg_1", 1614265331L, "{}"));
        assertNotEquals(signature, WebhookSigner.signature(secret, "msg_1", 1614265330L, "{ }"));
        assertNotEquals(signature, WebhookSigner.signature(WebhookSigner.newSecret(), "msg_1", 1614265330L, "{}"));
    }

    @Test
    void several_secrets_give_their_signatures_space_separated_in_order() {
        String first = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String second = WebhookSigner.newSecret();
        assertEquals(WebhookSigner.signature(first, "msg_1", 1614265330L, "{}") + " "
                        + WebhookSigner.signature(second, "msg_1", 1614265330L, "{}"),
                WebhookSigner.signatures(List.of(first, second), "msg_1", 1614265330L, "{}"));
        assertEquals(WebhookSigner.signature(first, "msg_1", 1614265330L, "{}"),
                WebhookSigner.signatures(List.of(first), "msg_1", 1614265330L, "{}"));
        assertThrows(IllegalArgumentException.class, () -> WebhookSigner.signatures(List.of(), "msg_1", 1L, "{}"));
    }

    @Test
    void new_secrets_are_whsec_and_32_random_bytes() {
        String secret = WebhookSigner.newSecret();
        assertTrue(secret.startsWith("whsec_"), secret);
        assertEquals(32, Base64.getDecoder().decode(secret.substring("whsec_".length())).length);
        assertNotEquals(secret, WebhookSigner.newSecret());
    }

    @Test
    void refuses_what_is_no_signing_secret() {
        assertThrows(IllegalArgumentException.class, () -> WebhookSigner.signature(null, "msg_1", 1L, "{}"));
        assertThrows(IllegalArgumentException.class, () -> WebhookSigner.signature("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_1", 1L, "{}"));
    }
}
