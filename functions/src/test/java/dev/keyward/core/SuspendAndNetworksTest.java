package dev.keyward.core;

import static dev.keyward.core.KeyVerifierTest.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.http.KeyRequests;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Suspending and resuming a key, limiting it to networks, and the reason each refused check is
 * counted under: the use cases over the stores in memory.
 */
class SuspendAndNetworksTest {
    private static final String ADMIN = "arn:aws:sts::1:assumed-role/KeywardAdmin/alice";
    private static final LocalDate TODAY = LocalDate.parse("2026-11-27");
    private static final String WHOAMI = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/whoami";
    private static final String ORDERS = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/accounts/acme/orders/7";
    private static final RouteScopes ROUTES = RouteScopes.of(Map.of(RouteScopes.EVERY_KEY, List.of("GET /whoami"),
            "orders:read", List.of("GET /accounts/{accountId}/orders/*")));
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final RecordingLog log = new RecordingLog();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00.250Z"));
    private final UseCases service = new UseCases(store, store, new InMemoryVault(), store.audit, clock, 100, log);
    private final KeyVerifier verifier = new KeyVerifier(store, new UsageRecorder(store, log), clock, log);

    private KeyWithSecret create(String... cidrs) {
        NewKey request = new NewKey("Warehouse Dashboard", null, Scopes.NONE, Networks.of(List.of(cidrs)));
        return service.creation().create("acme", request, ADMIN);
    }

    private Verdict check(KeyWithSecret key, String sourceIp, String methodArn) {
        return verifier.verify(new KeyVerifier.Request(basic(key.key().clientId(), key.clientSecret()), sourceIp,
                methodArn), ROUTES);
    }

    private ApiKey patch(KeyWithSecret key, Boolean enabled, Networks networks) {
        return service.updates().update("acme", key.key().id(), new KeyUpdate(null, null, null, enabled, networks), ADMIN);
    }

    private Map<DenialReason, Long> deniedToday(KeyWithSecret key) {
        verifier.flushUsage();
        return store.days("acme", key.key().id(), TODAY, TODAY).stream().findFirst()
                .map(DailyUsage::deniedBy).orElse(Map.of());
    }

    @Test
    void aSuspendedKey_shouldBeRefusedAtTheNextCheck_keepingEverything_andWorkAgainOnceResumed() {
        KeyWithSecret key = create();
        assertTrue(check(key, "203.0.113.7", WHOAMI).allowed());

        ApiKey suspended = patch(key, false, null);

        assertFalse(suspended.enabled());
        assertEquals(KeyStatus.DISABLED, suspended.status(clock.instant()));
        assertEquals(Verdict.Outcome.DENY, check(key, "203.0.113.7", WHOAMI).outcome(), "the very next check: 401");
        ApiKey stored = store.find("acme", key.key().id()).orElseThrow().key();
        assertEquals(key.key().clientId(), stored.clientId());
        assertEquals(key.key().scopes(), stored.scopes());
        assertTrue(store.find(key.key().clientId()).orElseThrow().accepts(Credentials.hash(key.clientSecret()),
                clock.instant()), "the secret is kept");

        ApiKey resumed = patch(key, true, null);

        assertTrue(resumed.enabled());
        assertEquals(KeyStatus.ACTIVE, resumed.status(clock.instant()));
        assertTrue(check(key, "203.0.113.7", WHOAMI).allowed());
        assertEquals(Map.of(DenialReason.DISABLED, 1L), deniedToday(key));
    }

    @Test
    void eachSuspensionAndResumption_shouldBeAudited_andPublishedAsKeyUpdated() {
        KeyWithSecret key = create();
        patch(key, false, null);
        patch(key, true, null);
        patch(key, null, Networks.of(List.of("10.0.0.0/8")));

        List<AuditAction> actions = store.audit.events.stream().map(AuditEvent::action).toList();
        assertEquals(List.of(AuditAction.CREATED, AuditAction.DISABLED, AuditAction.ENABLED, AuditAction.UPDATED), actions);
        List<ChangeEvent> updates = store.audit.published.stream().filter(e -> e.type() == EventType.KEY_UPDATED).toList();
        assertEquals(Map.of("changed", List.of("enabled"), "enabled", false), updates.get(0).data());
        assertEquals(Map.of("changed", List.of("enabled"), "enabled", true), updates.get(1).data());
        assertEquals(Map.of("changed", List.of("allowedCidrs")), updates.get(2).data());
    }

    @Test
    void aKeyExpiredAndSuspended_shouldShowExpired_andBeCountedAsExpired() {
        NewKey request = new NewKey("Expiring", Expiries.parseFormat("2026-11-27T10:05:00Z"), Scopes.NONE);
        KeyWithSecret key = service.creation().create("acme", request, ADMIN);
        ApiKey suspended = patch(key, false, null);
        clock.advance(Duration.ofMinutes(5));

        assertEquals(KeyStatus.EXPIRED, suspended.status(clock.instant()));
        assertEquals(Verdict.Outcome.DENY, check(key, "203.0.113.7", WHOAMI).outcome());
        assertEquals(Map.of(DenialReason.EXPIRED, 1L), deniedToday(key));
    }

    @Test
    void aKeyPinnedToANetwork_shouldBeForbiddenFromOtherAddresses_andAllowedFromInside() {
        KeyWithSecret key = create("10.0.0.0/8", "2001:db8::/32");

        assertEquals(List.of("10.0.0.0/8", "2001:db8::/32"), key.key().networks().texts());
        assertEquals(Verdict.Outcome.FORBIDDEN, check(key, "127.0.0.1", WHOAMI).outcome());
        assertEquals(DenialReason.IP_NOT_ALLOWED, check(key, "11.0.0.1", WHOAMI).reason());
        assertEquals(Verdict.Outcome.FORBIDDEN, check(key, "2001:db9::1", WHOAMI).outcome());
        assertEquals(Verdict.Outcome.FORBIDDEN, check(key, null, WHOAMI).outcome(), "no address: refused");
        assertEquals(Verdict.Outcome.FORBIDDEN, check(key, "not an address", WHOAMI).outcome());
        assertTrue(check(key, "10.20.30.40", WHOAMI).allowed());
        assertTrue(check(key, "::ffff:10.20.30.40", WHOAMI).allowed(), "IPv4-mapped");
        assertTrue(check(key, "2001:db8:1::5", WHOAMI).allowed());
        assertEquals(Map.of(DenialReason.IP_NOT_ALLOWED, 5L), deniedToday(key));

        patch(key, null, Networks.ANY);
        assertTrue(check(key, "127.0.0.1", WHOAMI).allowed(), "[] or null: any address again");
    }

    @Test
    void aRouteTheScopesDoNotOpen_shouldBeCountedAsScopeMissing_whileTheOthersAreAllowed() {
        KeyWithSecret key = create();

        Verdict orders = check(key, "203.0.113.7", ORDERS);
        assertEquals(Verdict.Outcome.ALLOW, orders.outcome(), "an Allow of the routes it may call: API Gateway answers 403");
        assertEquals(List.of(WHOAMI), orders.resources());
        assertEquals(DenialReason.SCOPE_MISSING, orders.reason());
        assertNull(check(key, "203.0.113.7", WHOAMI).reason());

        service.updates().update("acme", key.key().id(), new KeyUpdate(null, null,
                new java.util.TreeSet<>(List.of("orders:read"))), ADMIN);
        assertNull(check(key, "203.0.113.7", ORDERS).reason());
        assertEquals(Map.of(DenialReason.SCOPE_MISSING, 1L), deniedToday(key));
        assertEquals(2, store.days("acme", key.key().id(), TODAY, TODAY).get(0).allowed(), "whoami, then orders");
    }

    @Test
    void theFirstReasonThatApplies_shouldBeTheOneCounted_inTheOrderSecretExpiryStateNetworkScope() {
        NewKey request = new NewKey("Everything wrong", Expiries.parseFormat("2026-11-27T10:05:00Z"), Scopes.NONE,
                Networks.of(List.of("10.0.0.0/8")));
        KeyWithSecret key = service.creation().create("acme", request, ADMIN);
        patch(key, false, null);
        String wrong = basic(key.key().clientId(), Credentials.newClientSecret());

        assertEquals(Verdict.Outcome.DENY, verifier.verify(new KeyVerifier.Request(wrong, "127.0.0.1", ORDERS), ROUTES).outcome());
        check(key, "127.0.0.1", ORDERS); // suspended, outside, no scope: counted as disabled
        patch(key, true, null);
        check(key, "127.0.0.1", ORDERS); // outside, no scope: ip_not_allowed
        check(key, "10.0.0.1", ORDERS); // no scope
        clock.advance(Duration.ofMinutes(5));
        check(key, "127.0.0.1", ORDERS); // expired first

        assertEquals(Map.of(DenialReason.WRONG_SECRET, 1L, DenialReason.DISABLED, 1L, DenialReason.IP_NOT_ALLOWED, 1L,
                DenialReason.SCOPE_MISSING, 1L, DenialReason.EXPIRED, 1L), deniedToday(key));
        assertEquals(List.of("INFO auth_denied_wrong_secret", "INFO auth_denied_disabled", "INFO auth_denied_ip_not_allowed",
                "INFO auth_denied_scope_missing", "INFO auth_denied_expired"), log.lines.stream()
                .filter(l -> l.startsWith("INFO auth_denied_")).map(l -> l.substring(0, l.indexOf(" acme"))).toList());
    }

    @Test
    void theLatestDenials_shouldNameTime_reason_route_andAddress_neverTheCredentials() {
        KeyWithSecret key = create("10.0.0.0/8");
        check(key, "127.0.0.1", WHOAMI);
        clock.advance(Duration.ofSeconds(1));
        check(key, "10.0.0.1", ORDERS);
        verifier.flushUsage();

        List<UsageStore.Denial> latest = store.recentDenials("acme", key.key().id(), clock.instant().minus(Duration.ofDays(7)));

        assertEquals(List.of(
                new UsageStore.Denial(Instant.parse("2026-11-27T10:00:01.250Z"), DenialReason.SCOPE_MISSING,
                        "GET /accounts/acme/orders/7", "10.0.0.1"),
                new UsageStore.Denial(Instant.parse("2026-11-27T10:00:00.250Z"), DenialReason.IP_NOT_ALLOWED,
                        "GET /whoami", "127.0.0.1")), latest);
        assertFalse(latest.toString().contains(key.clientSecret()));
        assertFalse(latest.toString().contains(key.key().clientId()));
    }

    @Test
    void theRecorder_shouldKeepOnlyTheLatestTwentyDenials_andWriteThemWithTheCounts() {
        KeyWithSecret key = create("10.0.0.0/8");
        for (int i = 0; i < 25; i++) {
            check(key, "127.0.0." + i, WHOAMI);
            clock.advance(Duration.ofSeconds(1));
        }
        verifier.flushUsage();

        List<UsageStore.Denial> latest = store.recentDenials("acme", key.key().id(), Instant.EPOCH);
        assertEquals(UsageStore.RECENT_DENIALS, latest.size());
        assertEquals("127.0.0.24", latest.get(0).sourceIp());
        assertEquals("127.0.0.5", latest.get(19).sourceIp());
        assertEquals(Map.of(DenialReason.IP_NOT_ALLOWED, 25L), deniedToday(key));
    }

    @Test
    void patchBodies_shouldTakeEnabledAndAllowedCidrs_andRefuseWhatTheyAreNot() {
        KeyUpdate suspend = KeyRequests.keyUpdate(Map.of("enabled", false), "acme");
        assertEquals(Boolean.FALSE, suspend.enabled());
        assertTrue(suspend.changesAccess());
        assertNull(suspend.networks());
        java.util.Map<String, Object> anyAddress = new java.util.HashMap<>();
        anyAddress.put("allowedCidrs", null);
        assertEquals(Networks.ANY, KeyRequests.keyUpdate(anyAddress, "acme").networks());
        assertEquals(Networks.ANY, KeyRequests.keyUpdate(Map.of("allowedCidrs", List.of()), "acme").networks());

        for (Object bad : new Object[] {"false", 0, List.of(true)}) {
            KeywardException e = assertThrows(KeywardException.class,
                    () -> KeyRequests.keyUpdate(Map.of("enabled", bad), "acme"));
            assertEquals(ErrorCode.INVALID_ENABLED, e.code());
        }
        for (Object bad : new Object[] {"10.0.0.0/8", List.of(10), List.of("10.1.2.3/8"), List.of("10.0.0.0/33"),
                List.of("example.com"), java.util.Collections.nCopies(21, "x")}) {
            KeywardException e = assertThrows(KeywardException.class,
                    () -> KeyRequests.keyUpdate(Map.of("allowedCidrs", bad), "acme"), String.valueOf(bad));
            assertEquals(ErrorCode.INVALID_ALLOWED_CIDRS, e.code());
        }
    }

    @Test
    void networks_shouldTakeUpToTwentyDistinctRanges_countingRepeatsOnce() {
        List<String> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            twenty.add("10." + i + ".0.0/16");
        }
        assertEquals(20, Networks.of(twenty).texts().size());
        List<String> withRepeats = new ArrayList<>(twenty);
        withRepeats.add("10.0.0.0/16");
        withRepeats.add("::ffff:10.1.0.0/112");
        assertEquals(twenty, Networks.of(withRepeats).texts(), "repeats, however written, count once");
        List<String> tooMany = new ArrayList<>(twenty);
        tooMany.add("192.168.0.0/16");
        KeywardException e = assertThrows(KeywardException.class, () -> Networks.of(tooMany));
        assertTrue(e.detail().contains("at most 20"), e.detail());
        KeywardException bad = assertThrows(KeywardException.class,
                () -> Networks.of(java.util.Arrays.asList("10.0.0.0/8", null)));
        assertTrue(bad.detail().startsWith("allowedCidrs[1] "), bad.detail());
        assertTrue(Networks.of(null).isAny());
        assertTrue(Networks.of(List.of()).admits(null), "any address, even none");
    }

    @Test
    void networks_shouldBeEqual_exactlyWhenTheyRestrictAlikeToTheSameRanges() {
        Networks tenSlashEight = Networks.of(List.of("10.0.0.0/8"));
        Networks sameWrittenOtherwise = Networks.of(List.of("::ffff:10.0.0.0/104"));
        Networks restrictedToNothing = Networks.stored(List.of("not a range"));

        assertEquals(tenSlashEight, sameWrittenOtherwise);
        assertEquals(tenSlashEight.hashCode(), sameWrittenOtherwise.hashCode());
        assertFalse(tenSlashEight.equals(Networks.of(List.of("11.0.0.0/8"))));
        assertFalse(tenSlashEight.equals(Networks.of(List.of("10.0.0.0/8", "11.0.0.0/8"))));
        assertFalse(Networks.ANY.equals(restrictedToNothing), "any address is not no address");
        assertFalse(restrictedToNothing.equals(Networks.ANY));
        assertFalse(Networks.ANY.hashCode() == restrictedToNothing.hashCode());
        assertFalse(tenSlashEight.equals("10.0.0.0/8"));
        assertEquals(Networks.ANY, Networks.of(List.of()));
    }

    @Test
    void storedRanges_thatDoNotRead_shouldNarrowTheKey_neverOpenIt() {
        Networks stored = Networks.stored(List.of("not a range"));
        assertFalse(stored.isAny());
        assertFalse(stored.admits("10.0.0.1"));
        assertTrue(Networks.stored(List.of("bad", "10.0.0.0/8")).admits("10.0.0.1"));
        assertEquals(Networks.ANY, Networks.stored(null));
        assertEquals(Networks.ANY, Networks.stored(List.of()));
    }

    @Test
    void aCreate_shouldCarryItsNetworks_toTheClientTheAuthorizerReads_andIntoItsEvent() {
        KeyWithSecret key = create("203.0.113.0/24");

        assertEquals(Networks.of(List.of("203.0.113.0/24")), store.find(key.key().clientId()).orElseThrow().networks());
        ChangeEvent created = store.audit.published.stream().filter(e -> e.type() == EventType.KEY_CREATED).findFirst()
                .orElseThrow();
        assertEquals(List.of("203.0.113.0/24"), created.data().get("allowedCidrs"));
        Optional<StoredKey> stored = store.find("acme", key.key().id());
        assertTrue(stored.orElseThrow().key().enabled());
    }
}
