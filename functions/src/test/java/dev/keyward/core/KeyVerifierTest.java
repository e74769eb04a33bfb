package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyVerifierTest {
    private static final java.time.LocalDate TODAY = java.time.LocalDate.parse("2026-11-27");
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final InMemoryVault vault = new InMemoryVault();
    private final RecordingLog log = new RecordingLog();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00.250Z"));
    private final UseCases service = new UseCases(store, store, vault, store.audit, clock, 100, log);
    private final KeyVerifier verifier = new KeyVerifier(store, new UsageRecorder(store, log), clock, log);

    static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void verify_shouldAllowWithAccountAndKey_whenTheCredentialsMatch() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);

        Verdict verdict = verifier.verify(basic(key.key().clientId(), key.clientSecret()));

        assertEquals(new Verdict(Verdict.Outcome.ALLOW, "acme", key.key().id()), verdict);
    }

    @Test
    void verify_shouldDenyWithoutALookup_everySpellingButTheCanonicalOne() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);
        String header = basic(key.key().clientId(), key.clientSecret());

        for (String other : List.of(header.replace("Basic", "basic"), header.replace("Basic", "BASIC"),
                header.replace("Basic ", "Basic  "), header.replace("=", ""), header + " ")) {
            assertEquals(Verdict.Outcome.DENY, verifier.verify(other).outcome(), other);
        }
        assertTrue(store.calls.isEmpty(), store.calls.toString());
        assertTrue(verifier.verify(header).allowed());
    }

    @Test
    void verify_shouldAnswerNoCredentials_whenThereIsNoHeader() {
        assertEquals(Verdict.Outcome.NO_CREDENTIALS, verifier.verify(null).outcome());
        assertEquals(Verdict.Outcome.NO_CREDENTIALS, verifier.verify("  ").outcome());
        assertTrue(store.calls.isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Bearer abc", "Basic", "Basic !!!not-base64", "BasicY2s6Y3M=", "Basic Y2tfb25seQ=="})
    void verify_shouldDenyWithoutALookup_whenTheHeaderIsMalformed(String header) {
        assertEquals(Verdict.Outcome.DENY, verifier.verify(header).outcome());
        assertTrue(store.calls.isEmpty(), store.calls.toString());
    }

    @Test
    void verify_shouldDenyWithoutALookup_whenSecretIsEmptyOrChecksumWrongOrIdMalformed() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);
        String clientId = key.key().clientId();
        String secret = key.clientSecret();
        char last = secret.charAt(secret.length() - 1);
        String badChecksum = secret.substring(0, secret.length() - 1) + (last == 'a' ? 'b' : 'a');

        for (String header : List.of(basic(clientId, ""), basic(clientId, badChecksum),
                basic(clientId.substring(1), secret), basic(clientId, secret + "x"), basic(secret, clientId))) {
            assertEquals(Verdict.Outcome.DENY, verifier.verify(header).outcome(), header);
        }
        assertTrue(store.calls.isEmpty(), store.calls.toString());
    }

    @Test
    void verify_shouldDeny_whenTheSecretIsAnotherWellFormedOne() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);
        KeyWithSecret other = service.creation().create("acme", UseCases.newKey("acme", "3PL", null, null), null);

        assertFalse(verifier.verify(basic(key.key().clientId(), other.clientSecret())).allowed());
        assertFalse(verifier.verify(basic(Credentials.newClientId(), key.clientSecret())).allowed());
        assertTrue(log.lines.contains("INFO auth_denied_wrong_secret acme " + key.key().id()));
    }

    @Test
    void verify_shouldDeny_whenKeyWasDeleted() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);
        String header = basic(key.key().clientId(), key.clientSecret());
        assertTrue(verifier.verify(header).allowed());

        service.deletion().delete("acme", key.key().id(), null);

        assertEquals(Verdict.Outcome.DENY, verifier.verify(header).outcome());
    }

    @Test
    void verify_shouldWriteLastUsedAtMostOncePerMinute_over100Calls() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);
        String header = basic(key.key().clientId(), key.clientSecret());

        // 100 checks, one every 1.5 s: 148.5 s in all
        for (int i = 0; i < 100; i++) {
            assertTrue(verifier.verify(header).allowed());
            clock.advance(Duration.ofMillis(1500));
        }

        long writes = store.calls.stream().filter(c -> c.startsWith("usage")).count();
        assertEquals(3, writes, "the first check written by the second (1.5 s), then at 60 s and 120 s");
        assertEquals(Instant.parse("2026-11-27T10:02:00Z"),
                store.find("acme", key.key().id()).orElseThrow().key().lastUsedAt());
    }

    @Test
    void verify_shouldWriteEachSandboxsOwnCounts_andMoveLastUsedToTheNewestCheck() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);
        String header = basic(key.key().clientId(), key.clientSecret());
        verifier.verify(header);
        clock.advance(Duration.ofSeconds(30));

        // a fresh sandbox remembers nothing: its first check of the key writes nothing, its next
        // one a minute later writes both its counts
        KeyVerifier otherSandbox = new KeyVerifier(store, new UsageRecorder(store, log), clock, log);
        otherSandbox.verify(header);
        assertEquals(List.of(), store.days("acme", key.key().id(), TODAY, TODAY), "no check has written yet");
        clock.advance(Duration.ofSeconds(60));
        otherSandbox.verify(header);

        assertEquals(Instant.parse("2026-11-27T10:01:30Z"),
                store.find("acme", key.key().id()).orElseThrow().key().lastUsedAt());
        assertEquals(List.of(new DailyUsage(TODAY, 2, 0)), store.days("acme", key.key().id(), TODAY, TODAY),
                "the second sandbox's two checks; the first sandbox's one still waits in its memory");
    }

    @Test
    void verify_shouldStillAllow_whenUsageCannotBeWritten_andWriteTheCountsNextTime() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);
        String header = basic(key.key().clientId(), key.clientSecret());
        store.failRecordUse = new DependencyUnavailableException("DynamoDB", null);

        assertTrue(verifier.verify(header).allowed());
        assertFalse(verifier.verify(basic(key.key().clientId(), Credentials.newClientSecret())).allowed());
        clock.advance(Duration.ofSeconds(60));
        assertTrue(verifier.verify(header).allowed(), "the write a minute later fails, the check does not");
        assertTrue(log.lines.contains("WARN usage_not_recorded acme " + key.key().id()));

        store.failRecordUse = null;
        clock.advance(Duration.ofSeconds(60));
        assertTrue(verifier.verify(header).allowed());

        assertEquals(List.of(new DailyUsage(TODAY, 3, 1, java.util.Map.of(DenialReason.WRONG_SECRET, 1L))), store.days("acme", key.key().id(), TODAY, TODAY),
                "the failed write's counts came with the next one");
        assertEquals(Instant.parse("2026-11-27T10:02:00Z"), store.find("acme", key.key().id()).orElseThrow().key().lastUsedAt());
    }

    @Test
    void verify_shouldNeverLogTheSecretOrTheClientId() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), null);
        verifier.verify(basic(key.key().clientId(), key.clientSecret()));
        verifier.verify(basic(key.key().clientId(), Credentials.newClientSecret()));
        verifier.verify(basic(key.key().clientId(), "kw_sec_short"));

        String all = String.join("\n", log.lines);
        assertFalse(all.contains(key.clientSecret()) || all.contains(key.key().clientId()), all);
    }
}
