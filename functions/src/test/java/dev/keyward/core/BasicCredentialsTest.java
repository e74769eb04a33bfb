package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One credential, one accepted spelling of its Authorization header. */
class BasicCredentialsTest {
    private static final String CLIENT_ID = Credentials.newClientId();
    private static final String SECRET = Credentials.newClientSecret();
    private static final String TOKEN = b64(CLIENT_ID + ":" + SECRET);
    private static final String HEADER = "Basic " + TOKEN;
    private static final String SPELLINGS = "infra/tests/authorization-spellings.json";

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parse_shouldTakeTheCanonicalSpelling() {
        assertEquals(Optional.of(new BasicCredentials(CLIENT_ID, SECRET)), BasicCredentials.parse(HEADER));
        assertTrue(BasicCredentials.parse(HEADER).get().wellFormed());
    }

    /** Spellings RFC 7235 would let a server take, and other decodings of the same bytes. */
    static List<String> otherSpellingsOfTheSameCredential() {
        List<String> spellings = new ArrayList<>(List.of(
                "basic " + TOKEN, "BASIC " + TOKEN, "bAsIc " + TOKEN,
                "Basic  " + TOKEN, "Basic\t" + TOKEN, "Basic " + TOKEN + " ", " " + HEADER, "Basic " + TOKEN + "\t",
                "Basic " + TOKEN.replace("=", ""),
                "Basic " + Base64.getMimeEncoder(4, "\r\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString((CLIENT_ID + ":" + SECRET).getBytes(StandardCharsets.UTF_8))));
        spellings.addAll(nonCanonicalFinalCharacters());
        return spellings;
    }

    /**
     * The pair is 83 bytes: the token ends in one character carrying 4 bits, 2 unused, and '='.
     * The three characters whose unused bits are not zero decode to the same bytes.
     */
    static List<String> nonCanonicalFinalCharacters() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        assertEquals(1, TOKEN.length() - TOKEN.indexOf('='), "one padding character");
        int last = TOKEN.length() - 2;
        int value = alphabet.indexOf(TOKEN.charAt(last));
        assertEquals(0, value & 3, "a canonical final character has its unused bits zero");
        List<String> headers = new ArrayList<>();
        for (int unused = 1; unused <= 3; unused++) {
            String token = TOKEN.substring(0, last) + alphabet.charAt(value | unused) + "=";
            assertEquals(CLIENT_ID + ":" + SECRET, new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8),
                    "Java's decoder takes it as the same credential");
            headers.add("Basic " + token);
        }
        return headers;
    }

    @ParameterizedTest
    @MethodSource("otherSpellingsOfTheSameCredential")
    void parse_shouldRefuseEveryOtherSpellingOfTheSameCredential(String header) {
        assertEquals(Optional.empty(), BasicCredentials.parse(header), header);
    }

    /**
     * The spellings infra/tests/test_waf_keys.py runs through the WAF rule's transformations: the
     * authorizer must accept exactly those marked accepted, each as its pair.
     */
    @Test
    void parse_shouldAcceptExactlyTheSpellingsTheWafRuleIsCheckedWith() throws Exception {
        Path file = Path.of("").toAbsolutePath();
        while (!Files.exists(file.resolve(SPELLINGS))) {
            file = file.getParent();
        }
        Map<String, Object> document = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(Files.readString(file.resolve(SPELLINGS)));
        int accepted = 0;
        for (Object entry : (List<?>) document.get("credentials")) {
            Map<?, ?> credential = (Map<?, ?>) entry;
            String pair = (String) credential.get("pair");
            for (Object s : (List<?>) credential.get("spellings")) {
                Map<?, ?> spelling = (Map<?, ?>) s;
                String header = (String) spelling.get("header");
                Optional<BasicCredentials> parsed = BasicCredentials.parse(header);
                assertEquals(spelling.get("accepted"), parsed.isPresent(), header);
                if (parsed.isPresent()) {
                    accepted++;
                    assertEquals(pair, parsed.get().clientId() + ":" + parsed.get().clientSecret());
                }
            }
        }
        assertEquals(5, accepted, "one spelling for each of the five credentials");
    }

    @Test
    void parse_shouldRefuseWhatIsNoBasicPair() {
        for (String header : List.of("", "Basic", "Basic ", "Bearer " + TOKEN, "Basic%" + TOKEN, "Basic " + b64("no colon"),
                "Basic " + TOKEN.substring(1), "Basic =" + TOKEN.substring(1), "Basic -" + TOKEN.substring(1))) {
            assertEquals(Optional.empty(), BasicCredentials.parse(header), header);
        }
        assertEquals(Optional.empty(), BasicCredentials.parse(null));
    }

    @Test
    void parse_shouldSplitAtTheFirstColon_andTakeEmptyParts() {
        assertEquals(Optional.of(new BasicCredentials("", "")), BasicCredentials.parse("Basic " + b64(":")));
        assertEquals(Optional.of(new BasicCredentials("", "a:b")), BasicCredentials.parse("Basic " + b64(":a:b")));
        assertEquals(Optional.of(new BasicCredentials("id", "")), BasicCredentials.parse("Basic " + b64("id:")));
    }

    @Test
    void parse_shouldTakeTokensUpToTheBound_andNoLonger() {
        String longest = b64("a:" + "b".repeat(BasicCredentials.MAX_TOKEN_LENGTH / 4 * 3 - 2));
        String longer = b64("a:" + "b".repeat(BasicCredentials.MAX_TOKEN_LENGTH / 4 * 3 + 1));
        assertEquals(BasicCredentials.MAX_TOKEN_LENGTH, longest.length());
        assertEquals(BasicCredentials.MAX_TOKEN_LENGTH + 4, longer.length());

        assertTrue(BasicCredentials.parse("Basic " + longest).isPresent());
        assertEquals(Optional.empty(), BasicCredentials.parse("Basic " + longer));
    }

    @Test
    void wellFormed_shouldNeedBothTheClientIdAndTheSecretWellFormed() {
        String otherSecret = Credentials.newClientSecret();
        assertTrue(new BasicCredentials(CLIENT_ID, otherSecret).wellFormed());
        assertFalse(new BasicCredentials(CLIENT_ID.substring(1), SECRET).wellFormed());
        assertFalse(new BasicCredentials(CLIENT_ID, SECRET.substring(1)).wellFormed());
        assertFalse(new BasicCredentials(SECRET, CLIENT_ID).wellFormed());
    }

    @Test
    void toString_shouldNameTheClientId_butNeverTheSecret() {
        String text = new BasicCredentials(CLIENT_ID, SECRET).toString();

        assertTrue(text.contains(CLIENT_ID), text);
        assertFalse(text.contains(SECRET), text);
        assertTrue(text.contains("<redacted>"), text);
    }
}
