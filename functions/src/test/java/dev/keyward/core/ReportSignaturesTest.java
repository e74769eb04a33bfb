package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportSignaturesTest {
    private static final String BODY = "[{\"token\":\"kw_sec_x\",\"type\":\"keyward_client_secret\",\"url\":\"https://github.com/o/r\",\"source\":\"content\"}]";
    private final ScannerKeys scanner = new ScannerKeys();
    private final ReportSignatures signatures = ReportSignatures.fromPem(Map.of("key-1", scanner.publicPem()));

    @Test
    void verify_shouldAccept_whenTheNamedKeySignedTheExactBody() {
        assertTrue(signatures.verify("key-1", scanner.sign(BODY), bytes(BODY)));
    }

    @Test
    void verify_shouldRefuse_whenAnotherKeySigned() {
        assertFalse(signatures.verify("key-1", new ScannerKeys().sign(BODY), bytes(BODY)));
    }

    @Test
    void verify_shouldRefuse_whenTheBodyWasChanged() {
        String signature = scanner.sign(BODY);
        assertFalse(signatures.verify("key-1", signature, bytes(BODY.replace("content", "commit"))));
        assertFalse(signatures.verify("key-1", signature, bytes(BODY + " ")));
    }

    @Test
    void verify_shouldRefuse_whenAHeaderIsMissingOrGarbled() {
        String signature = scanner.sign(BODY);
        assertFalse(signatures.verify(null, signature, bytes(BODY)));
        assertFalse(signatures.verify("key-1", null, bytes(BODY)));
        assertFalse(signatures.verify("key-1", "", bytes(BODY)));
        assertFalse(signatures.verify("key-1", "not base64 at all!", bytes(BODY)));
        assertFalse(signatures.verify("key-1", "AAAA", bytes(BODY)));
    }

    @Test
    void verify_shouldRefuse_whenTheKeyIdentifierIsUnknown() {
        assertFalse(signatures.verify("key-2", scanner.sign(BODY), bytes(BODY)));
        assertFalse(ReportSignatures.none().verify("key-1", scanner.sign(BODY), bytes(BODY)));
    }

    @Test
    void fromPem_shouldRefuseAnythingButAnEcP256PublicKey() {
        assertThrows(IllegalArgumentException.class, () -> ReportSignatures.fromPem(Map.of("k", "not a key")));
        assertEquals(2, ReportSignatures.fromPem(Map.of("a", scanner.publicPem(), "b", new ScannerKeys().publicPem())).size());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
