package dev.keyward.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyward.core.WebhookSigningSecrets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How an endpoint's signing secrets are kept in its one SecretString, and read back. */
class SecretsManagerWebhookSecretsTest {
    private static final String CURRENT = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String PREVIOUS = "whsec_3kTMd9QwZr1bX8pLvN2sYe4hJ6kL8mN0";

    @Test
    void a_secret_without_a_previous_one_is_kept_as_itself_as_when_it_was_created() {
        assertEquals(CURRENT, SecretsManagerWebhookSecrets.secretString(WebhookSigningSecrets.of(CURRENT)));
        assertEquals(WebhookSigningSecrets.of(CURRENT), SecretsManagerWebhookSecrets.secrets(CURRENT));
    }

    @Test
    void after_a_rotation_both_secrets_and_the_end_of_the_previous_one_are_kept_together() {
        WebhookSigningSecrets rotated = new WebhookSigningSecrets(CURRENT, PREVIOUS, Instant.parse("2025-03-02T10:00:00Z"));
        String stored = SecretsManagerWebhookSecrets.secretString(rotated);
        assertEquals("{\"current\":\"" + CURRENT + "\",\"previous\":\"" + PREVIOUS
                + "\",\"previousUntil\":\"2025-03-02T10:00:00Z\"}", stored);
        assertEquals(rotated, SecretsManagerWebhookSecrets.secrets(stored));
        assertEquals(WebhookSigningSecrets.of(CURRENT), SecretsManagerWebhookSecrets.secrets("{\"current\":\"" + CURRENT + "\"}"));
    }

    @Test
    void a_value_keyward_did_not_write_is_refused_without_being_quoted() {
        for (String value : new String[] {"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "{\"previous\":\"" + PREVIOUS + "\"}",
                "{\"current\":\"" + CURRENT + "\",\"previous\":\"" + PREVIOUS + "\",\"previousUntil\":\"tomorrow\"}", "{"}) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> SecretsManagerWebhookSecrets.secrets(value));
            assertFalse(refused.getMessage().contains("MfKQ9r8") || refused.getMessage().contains("3kTMd9"),
                    refused.getMessage());
        }
    }
}
