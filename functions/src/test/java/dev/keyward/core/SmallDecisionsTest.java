package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The small rules core's larger ones lean on: base62, idempotency keys, names, wire names, redaction. */
class SmallDecisionsTest {
    @Test
    void base62_shouldWriteFixedWidthDigits_andKnowItsAlphabetToTheEdges() {
        assertEquals("10", Base62.fixedWidth(62, 2));
        assertEquals("0zz", Base62.fixedWidth(62 * 62 - 1, 3));
        assertEquals("000", Base62.fixedWidth(0, 3));

        assertTrue(Base62.isBase62("09AZaz", 0, 6));
        for (char outside : new char[] {'/', ':', '@', '[', '`', '{', '-', '_'}) {
            assertFalse(Base62.isBase62("a" + outside + "a", 0, 3), String.valueOf(outside));
            assertTrue(Base62.isBase62("a" + outside + "a", 2, 3), "only the range is checked");
        }
    }

    @Test
    void idempotencyKeys_shouldBeOneTo255PrintableAsciiCharacters() {
        assertDoesNotThrow(() -> IdempotencyKeys.require("a".repeat(IdempotencyKeys.MAX_LENGTH)));
        assertDoesNotThrow(() -> IdempotencyKeys.require("a b~"));
        for (String bad : new String[] {null, "", "   ", "a".repeat(IdempotencyKeys.MAX_LENGTH + 1), "a\u001fb", "a\u007fb", "\u00e9"}) {
            KeywardException refused = assertThrows(KeywardException.class, () -> IdempotencyKeys.require(bad), String.valueOf(bad));
            assertEquals(ErrorCode.INVALID_IDEMPOTENCY_KEY, refused.code());
        }
    }

    @Test
    void names_shouldRefuseTheReplacementCharacter_evenFirst() {
        for (String name : new String[] {"\uFFFDWarehouse", "Ware\uFFFDhouse"}) {
            KeywardException refused = assertThrows(KeywardException.class, () -> Names.normalize(name), name);
            assertEquals(ErrorCode.INVALID_NAME, refused.code());
            assertTrue(refused.detail().contains("U+FFFD"), refused.detail());
        }
    }

    @Test
    void keyUpdate_shouldChangeAccess_onlyWithAnExpiryOrScopes() {
        assertFalse(new KeyUpdate("New name", null, null).changesAccess());
        assertTrue(new KeyUpdate(null, Optional.empty(), null).changesAccess());
        assertTrue(new KeyUpdate(null, Optional.of(Instant.EPOCH), null).changesAccess());
        assertTrue(new KeyUpdate(null, null, new TreeSet<>()).changesAccess());
    }

    @Test
    void wireNames_shouldBeTheDocumentedOnes() {
        assertEquals("active", KeyStatus.ACTIVE.wireName());
        assertEquals("expired", KeyStatus.EXPIRED.wireName());
        assertEquals("invalid_name", ErrorCode.INVALID_NAME.code());
        assertEquals(AuditAction.LEAK_REPORTED, AuditAction.fromWireName("key.leak_reported"));
        assertThrows(IllegalArgumentException.class, () -> AuditAction.fromWireName("key.unknown"));
        DependencyUnavailableException busy = new DependencyUnavailableException("Secrets Manager", null);
        assertEquals("Secrets Manager", busy.dependency());
        assertEquals("Secrets Manager is busy or unreachable; retry shortly.", busy.detail());
        assertEquals(1, busy.retryAfterSeconds());
    }

    @Test
    void recordsHoldingASecret_shouldNeverPrintIt() {
        String secret = Credentials.newClientSecret();
        ApiKey key = new ApiKey("acme", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3", "Warehouse", Credentials.newClientId(),
                Instant.parse("2026-11-27T10:00:00Z"), null, null);
        String withSecret = new KeyWithSecret(key, secret).toString();
        String stored = new SecretVault.StoredSecret("arn:secret", key.clientId(), secret).toString();

        for (String text : new String[] {withSecret, stored}) {
            assertFalse(text.contains(secret), text);
            assertTrue(text.contains("<redacted>") && text.contains(text == stored ? key.clientId() : key.id()), text);
        }
    }
}
