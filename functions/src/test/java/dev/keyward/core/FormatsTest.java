package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.f4b6a3.ulid.Ulid;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void clientSecret_shouldHavePrefixLengthAndMatchingChecksum() {
        String secret = Credentials.newClientSecret();

        assertTrue(secret.matches("kw_sec_[0-9A-Za-z]{46}"), secret);
        assertTrue(Credentials.isWellFormedSecret(secret));
        assertTrue(Credentials.newClientId().matches("kw_cid_[0-9A-Za-z]{22}"));
    }

    @Test
    void secretPattern_shouldFindASecretInText_butNotInsideALongerWord() {
        String secret = Credentials.newClientSecret();
        java.util.regex.Pattern scanner = java.util.regex.Pattern.compile(Credentials.SECRET_PATTERN);

        java.util.regex.Matcher found = scanner.matcher("export KEYWARD_SECRET=\"" + secret + "\"\n");
        assertTrue(found.find());
        assertEquals(secret, found.group());
        assertFalse(scanner.matcher("okw_sec_" + secret.substring(7)).find());
        assertFalse(scanner.matcher(secret + "x").find());
        assertFalse(scanner.matcher("cs_" + secret.substring(7)).find(), "another provider's prefix");
    }

    @Test
    void clientSecret_shouldBeRefused_whenAnyCharacterChanges() {
        String secret = Credentials.newClientSecret();
        for (int i = 0; i < secret.length(); i++) {
            char replacement = secret.charAt(i) == 'a' ? 'b' : 'a';
            String typo = secret.substring(0, i) + replacement + secret.substring(i + 1);
            assertFalse(Credentials.isWellFormedSecret(typo), "changed position " + i);
        }
    }

    @Test
    void clientSecret_shouldBeRefused_whenShapeIsWrong() {
        String secret = Credentials.newClientSecret();
        assertFalse(Credentials.isWellFormedSecret(null));
        assertFalse(Credentials.isWellFormedSecret(""));
        assertFalse(Credentials.isWellFormedSecret("kw_cid_" + secret.substring(7)));
        assertFalse(Credentials.isWellFormedSecret("cs_" + secret.substring(7)));
        assertFalse(Credentials.isWellFormedSecret(secret + "0"));
        assertFalse(Credentials.isWellFormedSecret(secret.substring(0, 10) + "-" + secret.substring(11)));
    }

    @Test
    void clientIdsAndSecrets_shouldNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.add(Credentials.newClientId()));
            assertTrue(seen.add(Credentials.newClientSecret()));
        }
        assertTrue(Credentials.isWellFormedClientId(Credentials.newClientId()));
        assertFalse(Credentials.isWellFormedClientId("kw_cid_short"));
        assertFalse(Credentials.isWellFormedClientId("ck_" + Credentials.newClientId().substring(7)));
    }

    @Test
    void hash_shouldBeSha256Hex() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Credentials.hash("abc"));
    }

    @Test
    void keyIds_shouldCarryTheClockAndGrowWithinOneMillisecond() {
        Instant now = Instant.parse("2026-11-27T10:15:30.123Z");
        Supplier<String> ids = KeyIds.generator(Clock.fixed(now, ZoneOffset.UTC));

        String a = ids.get();
        String b = ids.get();

        assertTrue(KeyIds.isWellFormed(a), a);
        assertEquals(now, Ulid.from(a.substring(4)).getInstant());
        assertTrue(a.compareTo(b) < 0);
        String other = KeyIds.generator(Clock.fixed(now, ZoneOffset.UTC)).get();
        assertEquals(a.substring(0, 14), other.substring(0, 14), "the same time part");
        assertNotEquals(a.substring(14), other.substring(14), "a random part, not one derived from the time");
        assertFalse(KeyIds.isWellFormed("key_" + "0".repeat(25)));
        assertFalse(KeyIds.isWellFormed("kex_01JDQ8Z6X4M5N7P8Q9R0S1T2V3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n", "a\nb", "tab\there", "nul\u0000", "bell\u0007", "rtl\u202Eoverride"})
    void names_shouldBeRefused_whenEmptyBlankOrWithControlCharacters(String name) {
        assertEquals(ErrorCode.INVALID_NAME, assertThrows(KeywardException.class, () -> Names.normalize(name)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u00A0", "\u202F", "\u2007", "\u3164", "\u2800", "\u0301", "\u200B", "\u2060",
            "\uFEFF", "\u115F\u1160", "\uFFA0", "\u034F", "\u3000", " \u00A0\u2800 ", "\uFE0F", "\u2800\u0301\u3164"})
    void names_shouldBeRefused_whenNoCharacterIsVisible(String name) {
        KeywardException refused = assertThrows(KeywardException.class, () -> Names.normalize(name));
        assertEquals(ErrorCode.INVALID_NAME, refused.code());
    }

    @Test
    void names_shouldBeRefused_whenTheyHoldAReplacementCharacter() {
        // U+FFFD is what a lenient decoder leaves for bytes that were not UTF-8
        assertThrows(KeywardException.class, () -> Names.normalize("bad \uFFFD\uFFFD"));
    }

    @Test
    void names_shouldKeepVisibleCharacters_withMarksAndJoiners() {
        assertEquals("Caf\u00E9", Names.normalize("\u00A0Caf\u00E9\u202F"));
        assertEquals("e\u0301", Names.normalize("e\u0301"));
        assertEquals("\uD83D\uDC69\u200D\uD83D\uDCBB", Names.normalize("\uD83D\uDC69\u200D\uD83D\uDCBB"));
        assertEquals("\u3164x", Names.normalize("\u3164x"));
    }

    @Test
    void names_shouldBeTrimmed_andCountedInCharacters() {
        assertEquals("Warehouse Dashboard", Names.normalize("  Warehouse Dashboard\t"));
        assertEquals(100, Names.normalize("x".repeat(100)).length());
        assertThrows(KeywardException.class, () -> Names.normalize("x".repeat(101)));
        String hundredEmoji = "\uD83D\uDCE6".repeat(100);
        assertEquals(hundredEmoji, Names.normalize(hundredEmoji));
        assertThrows(KeywardException.class, () -> Names.normalize(hundredEmoji + "x"));
        assertThrows(KeywardException.class, () -> Names.normalize(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"acme", "A", "acme_corp-2", "0123456789012345678901234567890123456789012345678901234567890123"})
    void accountIds_shouldBeAccepted_whenWellFormed(String accountId) {
        assertEquals(accountId, AccountIds.require(accountId));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-acme", "_acme", "acme corp", "acme/keys", "ac#me", "01234567890123456789012345678901234567890123456789012345678901234"})
    void accountIds_shouldBeRefused_whenMalformed(String accountId) {
        assertEquals(ErrorCode.INVALID_ACCOUNT_ID,
                assertThrows(KeywardException.class, () -> AccountIds.require(accountId)).code());
    }

    @Test
    void cursors_shouldRoundTrip_andRefuseAnythingElse() {
        String keyId = "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3";
        assertEquals(keyId, Cursors.decode(Cursors.encode(keyId)));
        for (String foreign : new String[] {"", "not base64!", "MTpub3BlCg", Cursors.encode("key_nope")}) {
            assertEquals(ErrorCode.INVALID_CURSOR, assertThrows(KeywardException.class, () -> Cursors.decode(foreign)).code(),
                    foreign);
        }
    }
}
