package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which signing secrets are in force, and what a rotation leaves. */
class WebhookSigningSecretsTest {
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final String OLD = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String NEW = "whsec_3kTMd9QwZr1bX8pLvN2sYe4hJ6kL8mN0";
    private static final String NEWER = "whsec_Zr1bX8pLvN2sYe4hJ6kL8mN03kTMd9Qw";

    @Test
    void the_previous_secret_signs_until_its_end_and_not_from_then_on() {
        WebhookSigningSecrets secrets = new WebhookSigningSecrets(NEW, OLD, NOW.plusSeconds(60));
        assertEquals(List.of(NEW, OLD), secrets.inForceAt(NOW));
        assertEquals(List.of(NEW, OLD), secrets.inForceAt(NOW.plusSeconds(60).minusMillis(1)));
        assertEquals(List.of(NEW), secrets.inForceAt(NOW.plusSeconds(60)));
        assertEquals(List.of(NEW), WebhookSigningSecrets.of(NEW).inForceAt(NOW));
    }

    @Test
    void a_rotation_keeps_the_current_secret_for_the_overlap_and_drops_an_older_one() {
        WebhookSigningSecrets rotated = WebhookSigningSecrets.of(OLD).rotatedTo(NEW, NOW, Duration.ofHours(24));
        assertEquals(new WebhookSigningSecrets(NEW, OLD, NOW.plus(Duration.ofHours(24))), rotated);
        assertEquals(new WebhookSigningSecrets(NEWER, NEW, NOW.plusSeconds(3600)),
                rotated.rotatedTo(NEWER, NOW, Duration.ofHours(1)));
        assertEquals(WebhookSigningSecrets.of(NEWER), rotated.rotatedTo(NEWER, NOW, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> rotated.rotatedTo(NEWER, NOW, Duration.ofSeconds(-1)));
    }

    @Test
    void a_previous_secret_comes_with_its_end_and_nothing_shows_a_secret() {
        assertThrows(IllegalArgumentException.class, () -> new WebhookSigningSecrets(NEW, OLD, null));
        assertThrows(IllegalArgumentException.class, () -> new WebhookSigningSecrets(NEW, null, NOW));
        assertThrows(NullPointerException.class, () -> WebhookSigningSecrets.of(null));
        String shown = new WebhookSigningSecrets(NEW, OLD, NOW).toString();
        assertFalse(shown.contains(NEW.substring(6)) || shown.contains(OLD.substring(6)), shown);
        assertEquals("WebhookSigningSecrets[current=<redacted>, previous=none, previousUntil=null]",
                WebhookSigningSecrets.of(NEW).toString());
    }

    @Test
    void what_a_read_found_never_shows_the_secrets_but_names_its_version() {
        String shown = new WebhookSecrets.Found(new WebhookSigningSecrets(NEW, OLD, NOW), "v7").toString();
        assertEquals("Found[secrets=<redacted>, version=v7]", shown);
    }
}
