package dev.keyward.core;

import dev.keyward.http.KeyRequests;
import static dev.keyward.core.KeyVerifierTest.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys that expire and carry scopes: the service's checks and the verifier's clock. */
class ExpiryAndScopesTest {
    private static final String ADMIN = "arn:aws:sts::1:assumed-role/KeywardAdmin/alice";
    private static final Instant START = Instant.parse("2026-11-27T10:00:00.250Z");
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final InMemoryAuditTrail audit = store.audit;
    private final RecordingLog log = new RecordingLog();
    private final TestClock clock = new TestClock(START);
    private final UseCases service = new UseCases(store, store, new InMemoryVault(), audit, clock, 100, log);
    private final KeyVerifier verifier = new KeyVerifier(store, new UsageRecorder(store, log), clock, log);

    private static Map<String, Object> members(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private boolean allowed(KeyWithSecret key) {
        return verifier.verify(basic(key.key().clientId(), key.clientSecret())).allowed();
    }

    @Test
    void verify_shouldAcceptTheKeyOneSecondBeforeItsExpiry_andRefuseItAtAndAfter() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", "2026-11-27T11:00:00Z", null), ADMIN);
        assertEquals(Instant.parse("2026-11-27T11:00:00Z"), key.key().expiresAt());

        clock.advance(Duration.between(START, Instant.parse("2026-11-27T10:59:59Z")));
        assertTrue(allowed(key), "one second before");
        assertEquals(KeyStatus.ACTIVE, key.key().status(clock.instant()));

        clock.advance(Duration.ofSeconds(1));
        assertFalse(allowed(key), "at the expiry");
        assertEquals(KeyStatus.EXPIRED, key.key().status(clock.instant()));
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("INFO auth_denied_expired acme ")), log.lines.toString());

        clock.advance(Duration.ofDays(3));
        assertFalse(allowed(key), "after it");
    }

    @Test
    void update_shouldExtendShortenAndRemoveTheExpiry_andTheVerifierShouldFollow() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", "2026-11-27T11:00:00Z", null), ADMIN);
        String id = key.key().id();

        ApiKey extended = service.updates().update("acme", id, UseCases.keyUpdate("acme", members("expiresAt", "2026-11-28T11:00:00Z")), ADMIN);
        assertEquals(Instant.parse("2026-11-28T11:00:00Z"), extended.expiresAt());
        clock.advance(Duration.ofHours(2));
        assertTrue(allowed(key), "extended past the old expiry");

        ApiKey shortened = service.updates().update("acme", id, UseCases.keyUpdate("acme", members("expiresAt", "2026-11-27T12:30:00Z")), ADMIN);
        assertEquals(Instant.parse("2026-11-27T12:30:00Z"), shortened.expiresAt());
        clock.advance(Duration.ofMinutes(30));
        assertFalse(allowed(key), "shortened: expired at 12:30");

        ApiKey never = service.updates().update("acme", id, UseCases.keyUpdate("acme", members("expiresAt", null)), ADMIN);
        assertNull(never.expiresAt());
        assertTrue(allowed(key), "null removes the expiry, even of an expired key");
        assertEquals("Warehouse Dashboard", never.name(), "the name stays");
        assertEquals(List.of("key.created " + id, "key.updated " + id, "key.updated " + id, "key.updated " + id),
                audit.actions());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-11-27T10:00:59Z",        // less than 60 s ahead
            "2026-11-27T09:00:00Z",        // past
            "2029-11-27T10:00:01Z",        // more than 3 years ahead
            "2026-11-28T10:00:00+01:00",   // not UTC
            "2026-11-28 10:00:00Z",        // not RFC 3339
            "2026-11-28T10:00Z",           // no seconds
            "2026-11-28",                  // no time
            "2026-02-30T10:00:00Z",        // no such day
            "tomorrow",
            ""})
    void create_shouldRefuseExpiriesThatAreNotRfc3339UtcOrOutOfRange(String expiresAt) {
        KeywardException e = assertThrows(KeywardException.class,
                () -> service.creation().create("acme", UseCases.newKey("acme", "x", expiresAt, null), ADMIN));

        assertEquals(ErrorCode.INVALID_EXPIRES_AT, e.code(), e.detail());
        assertEquals(0, store.count("acme"));
    }

    @Test
    void expiresAt_shouldAcceptTheBoundsAndUtcSpellings_inWholeSeconds() {
        assertEquals(Instant.parse("2026-11-27T10:01:01Z"), Expiries.parse("2026-11-27T10:01:01Z", START));
        assertEquals(Instant.parse("2029-11-27T10:00:00Z"), Expiries.parse("2029-11-27T10:00:00Z", START));
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), Expiries.parse("2026-12-01t00:00:00.999+00:00", START));
        assertEquals(ErrorCode.INVALID_EXPIRES_AT, assertThrows(KeywardException.class,
                () -> KeyRequests.expiresAt(1_800_000_000L)).code(), "a number is not a timestamp");
    }

    @Test
    void update_shouldRefuseABadExpiry_andLeaveTheKeyAsItWas() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Warehouse Dashboard", "2026-11-27T11:00:00Z", List.of("a:b")), ADMIN);

        assertEquals(ErrorCode.INVALID_EXPIRES_AT, assertThrows(KeywardException.class, () -> service.updates().update("acme", key.key().id(), UseCases.keyUpdate("acme", members("expiresAt", "2020-01-01T00:00:00Z", "scopes", List.of())), ADMIN)).code());

        StoredKey stored = store.find("acme", key.key().id()).orElseThrow();
        assertEquals(Instant.parse("2026-11-27T11:00:00Z"), stored.key().expiresAt());
        assertEquals(Set.of("a:b"), stored.key().scopes());
    }

    @Test
    void scopes_shouldBeStoredSortedAndOnce_andGivenToTheVerdict() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Orders", null, List.of("orders:write", "orders:read", "orders:read")), ADMIN);

        assertEquals(List.of("orders:read", "orders:write"), List.copyOf(key.key().scopes()));
        Verdict verdict = verifier.verify(basic(key.key().clientId(), key.clientSecret()));
        assertEquals(List.of("orders:read", "orders:write"), List.copyOf(verdict.scopes()));
    }

    @Test
    void update_shouldReplaceTheScopes_andEmptyShouldClearThem_butNullIsNoArray() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Orders", null, List.of("orders:read")), ADMIN);
        String id = key.key().id();

        service.updates().update("acme", id, UseCases.keyUpdate("acme", members("scopes", List.of("invoices:read"))), ADMIN);
        assertEquals(Set.of("invoices:read"), verifier.verify(basic(key.key().clientId(), key.clientSecret())).scopes());

        assertEquals(ErrorCode.INVALID_SCOPES, assertThrows(KeywardException.class,
                () -> service.updates().update("acme", id, UseCases.keyUpdate("acme", members("scopes", null)), ADMIN)).code());
        service.updates().update("acme", id, UseCases.keyUpdate("acme", members("scopes", List.of())), ADMIN);
        assertEquals(Set.of(), verifier.verify(basic(key.key().clientId(), key.clientSecret())).scopes());
    }

    @Test
    void scopes_shouldRefuseBadNamesNonArraysAndMoreThanFifty() {
        for (Object bad : new Object[] {"orders:read", List.of("Orders"), List.of("1orders"), List.of(""),
                List.of("a".repeat(65)), List.of("orders read"), List.of(7), java.util.Collections.singletonList(null)}) {
            KeywardException e = assertThrows(KeywardException.class, () -> service.creation().create("acme", UseCases.newKey("acme", "x", null, bad), ADMIN),
                    String.valueOf(bad));
            assertEquals(ErrorCode.INVALID_SCOPES, e.code());
        }
        List<String> fiftyOne = new java.util.ArrayList<>();
        for (int i = 0; i < 51; i++) {
            fiftyOne.add("s" + i);
        }
        assertEquals(ErrorCode.INVALID_SCOPES, assertThrows(KeywardException.class,
                () -> service.creation().create("acme", UseCases.newKey("acme", "x", null, fiftyOne), ADMIN)).code());
        assertEquals(50, service.creation().create("acme", UseCases.newKey("acme", "x", null, fiftyOne.subList(0, 50)), ADMIN).key().scopes().size());
        assertEquals(Set.of("a", "z9_.:-" + "x".repeat(58)),
                service.creation().create("acme", UseCases.newKey("acme", "x", null, List.of("a", "z9_.:-" + "x".repeat(58))), ADMIN).key().scopes());
    }

    @Test
    void update_shouldAnswerNotFound_forAnotherAccountsKey() {
        KeyWithSecret key = service.creation().create("acme", UseCases.newKey("acme", "Orders", null, List.of("orders:read")), ADMIN);

        assertEquals(ErrorCode.KEY_NOT_FOUND, assertThrows(KeywardException.class, () -> service.updates().update("globex", key.key().id(), UseCases.keyUpdate("globex", members("scopes", List.of("orders:write"))), ADMIN)).code());
        assertEquals(Set.of("orders:read"), store.find("acme", key.key().id()).orElseThrow().key().scopes());
    }
}
