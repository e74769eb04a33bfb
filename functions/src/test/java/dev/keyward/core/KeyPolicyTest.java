package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.junit.jupiter.api.function.Executable;

/**
 * The account's key policy (maxKeyLifetimeDays, requireScopes): set in the settings, applied to
 * what a create or a PATCH asks for, never to what a key already had.
 */
class KeyPolicyTest {
    private static final String ADMIN = "arn:aws:sts::1:assumed-role/KeywardAdmin/alice";
    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final InMemoryVault vault = new InMemoryVault();
    private final InMemoryIdempotencyStore records = new InMemoryIdempotencyStore();
    private final TestClock clock = new TestClock(START);
    private final UseCases service = new UseCases(store, store, vault, store.audit, records, clock, 100,
            new RecordingLog());

    private static Map<String, Object> members(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private AccountSettings setPolicy(String accountId, Object... pairs) {
        return service.settings().update(accountId, UseCases.settingsChange(accountId, members(pairs)), ADMIN);
    }

    private KeyWithSecret create(String accountId, Object expiresAt, Object scopes) {
        return service.creation().create(accountId, UseCases.newKey(accountId, "Warehouse Dashboard", expiresAt, scopes), ADMIN);
    }

    private ApiKey patch(String accountId, String keyId, Object... pairs) {
        return service.updates().update(accountId, keyId, UseCases.keyUpdate(accountId, members(pairs)), ADMIN);
    }

    private static KeywardException refused(ErrorCode code, Executable request) {
        KeywardException e = assertThrows(KeywardException.class, request);
        assertEquals(code, e.code(), e.detail());
        return e;
    }

    @Test
    void create_shouldAllowAnExpiryExactlyAtTheCap_andRefuseOneSecondPastIt_sayingTheCapAndTheLatestExpiry() {
        setPolicy("acme", "maxKeyLifetimeDays", 90);

        KeyWithSecret atTheCap = create("acme", "2027-02-25T10:00:00Z", null);
        assertEquals(Instant.parse("2027-02-25T10:00:00Z"), atTheCap.key().expiresAt());

        KeywardException beyond = refused(ErrorCode.EXPIRY_BEYOND_POLICY, () -> create("acme", "2027-02-25T10:00:01Z", null));
        assertTrue(beyond.detail().contains("90 days"), beyond.detail());
        assertTrue(beyond.detail().contains("2027-02-25T10:00:00Z"), beyond.detail());

        assertEquals(1, store.count("acme"), "the refused create made nothing");
        assertEquals(1, vault.secrets.size());
        assertTrue(store.notes.isEmpty());
    }

    @Test
    void create_shouldBeRefusedWithoutAnExpiry_underACap_andAllowedAgainOnceTheCapIsRemoved() {
        setPolicy("acme", "maxKeyLifetimeDays", 30);

        KeywardException required = refused(ErrorCode.EXPIRY_REQUIRED, () -> create("acme", null, null));
        assertTrue(required.detail().contains("30 days"), required.detail());
        assertTrue(required.detail().contains("2026-12-27T10:00:00Z"), required.detail());
        assertEquals(0, store.count("acme"));

        setPolicy("acme", "maxKeyLifetimeDays", null);
        assertNull(create("acme", null, null).key().expiresAt(), "no cap: a key may never expire");
        assertNotNull(create("acme", "2029-11-27T10:00:00Z", null), "no cap: up to the service's 3 years");
    }

    @Test
    void create_shouldMeasureTheCapFromNow_toTheSecond_whenNowHasAFraction() {
        clock.advance(Duration.ofMillis(750)); // 10:00:00.750
        setPolicy("acme", "maxKeyLifetimeDays", 1);

        assertNotNull(create("acme", "2026-11-28T10:00:00Z", null), "at most a day ahead, in whole seconds");
        KeywardException beyond = refused(ErrorCode.EXPIRY_BEYOND_POLICY, () -> create("acme", "2026-11-28T10:00:01Z", null));
        assertTrue(beyond.detail().endsWith("no later than 2026-11-28T10:00:00Z."), beyond.detail());
    }

    @Test
    void create_shouldCheckTheExpirysRangeFirst_thenThePolicy() {
        setPolicy("acme", "maxKeyLifetimeDays", 30);

        refused(ErrorCode.INVALID_EXPIRES_AT, () -> create("acme", "2026-11-27T10:00:30Z", null));
        refused(ErrorCode.INVALID_EXPIRES_AT, () -> create("acme", "2030-11-27T10:00:00Z", null));
    }

    @Test
    void create_shouldRequireAScope_whenThePolicySaysSo_whetherScopesAreLeftOutOrEmpty() {
        setPolicy("acme", "requireScopes", true);

        KeywardException none = refused(ErrorCode.SCOPES_REQUIRED, () -> create("acme", null, null));
        assertTrue(none.detail().contains("at least one scope"), none.detail());
        refused(ErrorCode.SCOPES_REQUIRED, () -> create("acme", null, List.of()));
        assertEquals(Set.of("orders:read"), create("acme", null, List.of("orders:read")).key().scopes());

        setPolicy("acme", "requireScopes", false);
        assertTrue(create("acme", null, List.of()).key().scopes().isEmpty());
        assertTrue(create("acme", null, null).key().scopes().isEmpty());
    }

    @Test
    void create_shouldApplyOnlyTheAccountsOwnPolicy() {
        setPolicy("acme", "maxKeyLifetimeDays", 30, "requireScopes", true);

        KeyWithSecret globex = create("globex", null, null);

        assertNull(globex.key().expiresAt());
    }

    @Test
    void patch_shouldHoldWhatItSetsToThePolicy_andLeaveWhatAKeyHadBeforeAlone() {
        String keyId = create("acme", null, null).key().id(); // never expires, no scopes
        setPolicy("acme", "maxKeyLifetimeDays", 30, "requireScopes", true);

        assertEquals("Renamed", patch("acme", keyId, "name", "Renamed").name());
        ApiKey scoped = patch("acme", keyId, "scopes", List.of("orders:read"));
        assertEquals(Set.of("orders:read"), scoped.scopes());
        assertNull(scoped.expiresAt(), "a PATCH of its scopes keeps the expiry the key had before the policy");

        refused(ErrorCode.EXPIRY_REQUIRED, () -> patch("acme", keyId, "expiresAt", null));
        KeywardException beyond = refused(ErrorCode.EXPIRY_BEYOND_POLICY,
                () -> patch("acme", keyId, "expiresAt", "2026-12-27T10:00:01Z", "name", "Longer"));
        assertTrue(beyond.detail().contains("30 days"), beyond.detail());
        refused(ErrorCode.SCOPES_REQUIRED, () -> patch("acme", keyId, "scopes", List.of()));
        ApiKey unchanged = store.find("acme", keyId).orElseThrow().key();
        assertEquals("Renamed", unchanged.name(), "a refused PATCH changes nothing, its name included");
        assertNull(unchanged.expiresAt());
        assertEquals(Set.of("orders:read"), unchanged.scopes());

        ApiKey capped = patch("acme", keyId, "expiresAt", "2026-12-27T10:00:00Z");
        assertEquals(Instant.parse("2026-12-27T10:00:00Z"), capped.expiresAt(), "exactly at the cap");

        service.deletion().delete("acme", keyId, ADMIN);
        refused(ErrorCode.KEY_NOT_FOUND, () -> patch("acme", keyId, "expiresAt", null)); // no key, no policy to break
    }

    @Test
    void patch_shouldKeepAnExpiryBeyondANewerCap_whenItChangesSomethingElse() {
        String keyId = create("acme", "2029-01-01T00:00:00Z", List.of("orders:read")).key().id();
        setPolicy("acme", "maxKeyLifetimeDays", 7);

        ApiKey rescoped = patch("acme", keyId, "scopes", List.of("orders:write"), "name", "Rescoped");

        assertEquals(Instant.parse("2029-01-01T00:00:00Z"), rescoped.expiresAt());
        assertEquals(Set.of("orders:write"), rescoped.scopes());
    }

    @Test
    void rotate_shouldKeepTheKeysExpiryAndScopes_whateverThePolicy() {
        KeyWithSecret key = create("acme", null, null);
        setPolicy("acme", "maxKeyLifetimeDays", 1, "requireScopes", true);

        RotatedKey rotated = service.rotation().rotate("acme", key.key().id(), 0L, ADMIN);

        assertNotEquals(key.clientSecret(), rotated.key().clientSecret());
        assertNull(rotated.key().key().expiresAt());
        assertTrue(rotated.key().key().scopes().isEmpty());
    }

    @Test
    void createWithIdempotencyKey_shouldAnswerARefusalAgain_andMakeTheKeyOnceThePolicyAllowsIt() {
        setPolicy("acme", "maxKeyLifetimeDays", 30);
        NewKey request = UseCases.newKey("acme", "Warehouse Dashboard", null, null);

        refused(ErrorCode.EXPIRY_REQUIRED, () -> service.creation().create("acme", request, ADMIN, "order-42"));
        refused(ErrorCode.EXPIRY_REQUIRED, () -> service.creation().create("acme", request, ADMIN, "order-42"));
        assertEquals(0, store.count("acme"));

        setPolicy("acme", "maxKeyLifetimeDays", null);
        KeyWithSecret made = service.creation().create("acme", request, ADMIN, "order-42");
        assertNull(made.key().expiresAt());
        assertEquals(1, store.count("acme"));
    }

    @Test
    void createWithIdempotencyKey_shouldReplayItsAnswer_afterThePolicyChanged() {
        NewKey request = UseCases.newKey("acme", "Warehouse Dashboard", null, null);
        KeyWithSecret first = service.creation().create("acme", request, ADMIN, "order-42");
        setPolicy("acme", "maxKeyLifetimeDays", 30, "requireScopes", true);

        KeyWithSecret again = service.creation().create("acme", request, ADMIN, "order-42");

        assertEquals(first.key(), again.key(), "the key the first request made, not a refusal");
        assertEquals(1, store.count("acme"));
    }

    @Test
    void updateSettings_shouldTakeACapOf1To3650DaysOrNull_andRequireScopesAsABoolean() {
        assertEquals(AccountSettings.DEFAULTS, service.settings().settings("acme"));
        assertEquals(1, setPolicy("acme", "maxKeyLifetimeDays", 1).maxKeyLifetimeDays());
        assertEquals(3650, setPolicy("acme", "maxKeyLifetimeDays", 3650L).maxKeyLifetimeDays());
        for (Object bad : new Object[] {0, 3651, -1, "30", 1.5, true}) {
            refused(ErrorCode.INVALID_KEY_LIFETIME_DAYS, () -> setPolicy("acme", "maxKeyLifetimeDays", bad));
        }
        for (Object bad : new Object[] {"true", 1, null}) {
            refused(ErrorCode.INVALID_REQUIRE_SCOPES, () -> setPolicy("acme", "requireScopes", bad));
        }
        refused(ErrorCode.INVALID_SETTINGS, () -> setPolicy("acme"));
        refused(ErrorCode.INVALID_RETENTION_DAYS, () -> setPolicy("acme", "expiredKeyRetentionDays", 0, "maxKeyLifetimeDays", 9));
        assertEquals(new AccountSettings(null, 3650, false), service.settings().settings("acme"), "a refused change changes nothing");

        assertTrue(setPolicy("acme", "requireScopes", true).requireScopes());
        assertEquals(new AccountSettings(30, 3650, true), setPolicy("acme", "expiredKeyRetentionDays", 30),
                "a change keeps the settings it does not name");
        assertEquals(new AccountSettings(30, null, false), setPolicy("acme", "maxKeyLifetimeDays", null, "requireScopes", false));
        assertEquals(new AccountSettings(null, 7, true),
                setPolicy("acme", "expiredKeyRetentionDays", null, "maxKeyLifetimeDays", 7, "requireScopes", true));
    }

    @Test
    void updateSettings_shouldWriteASettingsEvent_byTheAdmin_namingWhatChanged() {
        setPolicy("acme", "maxKeyLifetimeDays", 90, "requireScopes", true);
        setPolicy("acme", "requireScopes", false);

        List<ChangeEvent> events = store.audit.published;
        assertEquals(2, events.size());
        for (ChangeEvent event : events) {
            assertEquals(EventType.SETTINGS_UPDATED, event.type());
            assertEquals(ChangeEvent.Actor.admin(ADMIN), event.actor());
            assertNull(event.keyId());
        }
        assertEquals(List.of("maxKeyLifetimeDays", "requireScopes"), events.get(0).data().get("changed"));
        assertEquals(List.of("requireScopes"), events.get(1).data().get("changed"));
        assertFalse(store.audit.events.stream().anyMatch(e -> e.accountId().equals("acme")), "an event notice, no key's audit entry");
    }

    private static <T> T assertNotNull(T value, String message) {
        org.junit.jupiter.api.Assertions.assertNotNull(value, message);
        return value;
    }
}
