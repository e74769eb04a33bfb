package dev.keyward.core;

import static dev.keyward.core.KeyVerifierTest.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rotation's order of writes, and what each failure between them leaves working. */
class KeyRotationTest {
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final InMemoryVault vault = new InMemoryVault();
    private final InMemoryAuditTrail audit = store.audit;
    private final RecordingLog log = new RecordingLog();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final UseCases service = new UseCases(store, store, vault, audit, clock, 100, log);
    private final KeyVerifier verifier = new KeyVerifier(store, new UsageRecorder(store, EventLog.NONE), clock, EventLog.NONE);
    private KeyWithSecret key;
    private String keyId;

    @BeforeEach
    void createKey() {
        key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", null, null), "arn:aws:iam::1:user/admin");
        keyId = key.key().id();
        store.calls.clear();
        vault.calls.clear();
    }

    private boolean works(String secret) {
        return verifier.verify(basic(key.key().clientId(), secret)).allowed();
    }

    private String vaulted() {
        return vault.secrets.get(InMemoryVault.ref("acme", keyId));
    }

    @Test
    void rotate_shouldAcceptTheNewSecret_beforeTheVaultHandsItOut() {
        RotatedKey rotated = service.rotation().rotate("acme", keyId, 300L, null);

        assertEquals(List.of("find " + key.key().clientId(), "replace rev 1", "replace rev 2"), store.calls);
        assertEquals(List.of("replace " + InMemoryVault.ref("acme", keyId)), vault.calls);
        assertEquals(rotated.key().clientSecret(), vaulted());
        assertEquals(key.key().clientId(), rotated.key().key().clientId(), "same Client ID");
        assertEquals(Instant.parse("2026-11-27T10:05:00Z"), rotated.previousValidUntil());
    }

    @Test
    void rotate_shouldKeepBothSecretsDuringGrace_andOnlyTheNewAfter() {
        String oldSecret = key.clientSecret();

        String newSecret = service.rotation().rotate("acme", keyId, 300L, null).key().clientSecret();

        assertTrue(works(oldSecret));
        assertTrue(works(newSecret));
        clock.advance(Duration.ofSeconds(299));
        assertTrue(works(oldSecret), "still inside the grace period");
        clock.advance(Duration.ofSeconds(1));
        assertFalse(works(oldSecret), "the grace period is over");
        assertTrue(works(newSecret));
        assertEquals(newSecret, service.views().get("acme", keyId, null).clientSecret());
    }

    @Test
    void rotate_shouldRefuseTheOldSecretAtOnce_whenGraceIsZero() {
        RotatedKey rotated = service.rotation().rotate("acme", keyId, 0L, null);

        assertFalse(works(key.clientSecret()));
        assertTrue(works(rotated.key().clientSecret()));
        assertNull(rotated.previousValidUntil());
    }

    @Test
    void rotate_twice_shouldKeepOnlyTheLatestPreviousSecret() {
        String first = key.clientSecret();
        String second = service.rotation().rotate("acme", keyId, 3600L, null).key().clientSecret();
        clock.advance(Duration.ofSeconds(10));

        String third = service.rotation().rotate("acme", keyId, 3600L, null).key().clientSecret();

        assertFalse(works(first), "the secret before the previous one is dropped, grace or not");
        assertTrue(works(second));
        assertTrue(works(third));
        assertEquals(1, store.clients.get(key.key().clientId()).others().size());
    }

    @Test
    void rotate_shouldLeaveTheOldSecretWorking_andFreeTheLease_whenTheVaultFails() {
        RuntimeException vaultDown = new DependencyUnavailableException("Secrets Manager", null);
        vault.failReplace = vaultDown;

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> service.rotation().rotate("acme", keyId, 0L, null));

        assertSame(vaultDown, thrown);
        assertEquals(key.clientSecret(), vaulted());
        clock.advance(Duration.ofDays(30));
        assertTrue(works(key.clientSecret()), "no grace period was started: the old secret has no end");
        vault.failReplace = null;
        String retried = service.rotation().rotate("acme", keyId, 60L, null).key().clientSecret();
        assertTrue(works(retried), "the lease was freed, a retry goes through at once");
    }

    @Test
    void rotate_shouldLeaveBothSecretsWorking_whenTheLastStepFails() {
        store.failReplaceAtRevision = new DependencyUnavailableException("DynamoDB", null);
        store.failingRevision = 2;

        assertThrows(DependencyUnavailableException.class, () -> service.rotation().rotate("acme", keyId, 0L, null));

        String handedOut = vaulted();
        clock.advance(Duration.ofDays(30));
        assertTrue(works(handedOut), "the vault's secret, which integrations fetch, works");
        assertTrue(works(key.clientSecret()), "and so does the old one: nobody is locked out");
        assertTrue(audit.actions().stream().noneMatch(a -> a.startsWith("key.rotated")));
    }

    @Test
    void rotate_shouldRefuseWhileAnotherRotationHoldsTheLease_andResumeAfterIt() {
        // GIVEN a rotation that died after step 2: the vault holds its secret, the lease is held
        store.failReplaceAtRevision = new IllegalStateException("sandbox killed");
        store.failingRevision = 2;
        assertThrows(IllegalStateException.class, () -> service.rotation().rotate("acme", keyId, 0L, null));
        store.failReplaceAtRevision = null;
        String orphaned = vaulted();

        // WHEN another rotation comes within the lease
        KeywardException busy = assertThrows(KeywardException.class, () -> service.rotation().rotate("acme", keyId, 600L, null));

        // THEN it is refused; after the lease it goes through, and the dead rotation's secret gets the grace period
        assertEquals(ErrorCode.ROTATION_IN_PROGRESS, busy.code());
        clock.advance(KeyRotation.ROTATION_LEASE);
        String latest = service.rotation().rotate("acme", keyId, 600L, null).key().clientSecret();
        assertTrue(works(orphaned) && works(key.clientSecret()) && works(latest));
        clock.advance(Duration.ofSeconds(600));
        assertFalse(works(orphaned));
        assertFalse(works(key.clientSecret()));
        assertTrue(works(latest));
    }

    @Test
    void rotate_shouldNotBringTheKeyBack_whenItIsDeletedMidway() {
        // GIVEN the key is deleted while the vault call runs
        vault.failReplace = null;
        SecretVault deletingVault = new SecretVault() {
            @Override
            public StoredSecret store(String a, String k, String c, String s, String r) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void replace(String ref, String clientId, String secret, String r) {
                store.delete(store.find("acme", keyId).orElseThrow(), clock.instant(), List.of());
            }

            @Override
            public java.util.Optional<String> read(String ref) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<String> readVersion(String ref, String r) {
                return java.util.Optional.empty();
            }

            @Override
            public void destroy(String a, String k) {
            }
        };
        UseCases racing = new UseCases(store, store, deletingVault, audit, clock, 100, log);

        KeywardException thrown = assertThrows(KeywardException.class, () -> racing.rotation().rotate("acme", keyId, 60L, null));

        assertEquals(ErrorCode.KEY_NOT_FOUND, thrown.code());
        assertTrue(store.clients.isEmpty(), "no client item was written back");
        assertFalse(works(key.clientSecret()));
    }

    @Test
    void rotate_shouldAnswer404_forUnknownOrOtherAccountsKeys() {
        assertEquals(ErrorCode.KEY_NOT_FOUND, assertThrows(KeywardException.class,
                () -> service.rotation().rotate("globex", keyId, 0L, null)).code());
        assertEquals(ErrorCode.KEY_NOT_FOUND, assertThrows(KeywardException.class,
                () -> service.rotation().rotate("acme", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3", 0L, null)).code());
        assertTrue(vault.calls.isEmpty());
    }

    @ParameterizedTest(name = "graceSeconds {0}")
    @ValueSource(longs = {-1, 86_401, Long.MAX_VALUE})
    void rotate_shouldRefuseGracePeriodsOutOfRange_beforeAnyWrite(long grace) {
        KeywardException thrown = assertThrows(KeywardException.class, () -> service.rotation().rotate("acme", keyId, grace, null));

        assertEquals(ErrorCode.INVALID_GRACE_PERIOD, thrown.code());
        assertTrue(store.calls.isEmpty() && vault.calls.isEmpty());
    }

    @Test
    void rotate_shouldRequireAGracePeriod() {
        assertEquals(ErrorCode.INVALID_GRACE_PERIOD,
                assertThrows(KeywardException.class, () -> service.rotation().rotate("acme", keyId, null, null)).code());
    }
}
