package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a secret scanner's report does to each key whose secret it names. */
class LeakResponderTest {
    private static final String URL = "https://github.com/acme/app/blob/main/.env";
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final InMemoryAuditTrail audit = new InMemoryAuditTrail();
    private final RecordingLog log = new RecordingLog();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00.250Z"));
    private final UseCases service = new UseCases(store, store, new InMemoryVault(), audit, clock, 100, log);
    private final FakeLeaks leaks = new FakeLeaks();

    private LeakResponder responder(ClientStore clients, AuditTrail trail) {
        return new LeakResponder(service.deletion(), clients, leaks, trail, clock, log);
    }

    private LeakResponder responder() {
        return responder(store, audit);
    }

    private KeyWithSecret ownedKey(String accountId) {
        KeyWithSecret key = service.creation().create(accountId, UseCases.newKey(accountId, "Warehouse Dashboard", null, null), null);
        leaks.owners.put(Credentials.hash(key.clientSecret()),
                new LeakStore.SecretOwner(accountId, key.key().id(), key.key().clientId()));
        return key;
    }

    private static LeakReport report(String token) {
        return new LeakReport(token, "keyward_client_secret", URL, "content");
    }

    private LeakFeedback.Label judge(LeakResponder responder, String token) {
        List<LeakFeedback> answers = responder.respond(List.of(report(token)));
        assertEquals(1, answers.size());
        assertEquals(token, answers.get(0).tokenRaw());
        assertEquals("keyward_client_secret", answers.get(0).tokenType());
        return answers.get(0).label();
    }

    private boolean exists(KeyWithSecret key) {
        return store.find(key.key().accountId(), key.key().id()).isPresent();
    }

    @Test
    void aTokenThatIsNoKeywardSecret_shouldBeAFalsePositive_withoutALookup() {
        String badChecksum = Credentials.newClientSecret().substring(0, Credentials.SECRET_LENGTH - 1) + "!";

        assertEquals(LeakFeedback.Label.FALSE_POSITIVE, judge(responder(), "kw_sec_short"));
        assertEquals(LeakFeedback.Label.FALSE_POSITIVE, judge(responder(), badChecksum));
        assertEquals(List.of(), leaks.calls);
    }

    @Test
    void aWellFormedSecretNoKeyOwns_shouldBeAFalsePositive() {
        assertEquals(LeakFeedback.Label.FALSE_POSITIVE, judge(responder(), Credentials.newClientSecret()));
        assertEquals(List.of("ownerOf"), leaks.calls);
    }

    @Test
    void aWorkingSecret_underRevoke_shouldDeleteItsKey_asTheScanner() {
        KeyWithSecret key = ownedKey("acme");
        KeyWithSecret other = ownedKey("acme");

        assertEquals(LeakFeedback.Label.TRUE_POSITIVE, judge(responder(), key.clientSecret()));

        assertFalse(exists(key));
        assertTrue(exists(other));
        AuditEvent deleted = audit.events.get(audit.events.size() - 1);
        assertEquals(List.of(AuditAction.DELETED, key.key().id(), LeakResponder.ACTOR),
                List.of(deleted.action(), deleted.keyId(), deleted.caller()));
    }

    @Test
    void aSecretThatNoLongerWorks_shouldBeATruePositive_withNothingDone() {
        KeyWithSecret rotated = ownedKey("acme");
        service.rotation().rotate("acme", rotated.key().id(), 0L, "admin");
        KeyWithSecret deleted = ownedKey("acme");
        service.deletion().delete("acme", deleted.key().id(), "admin");
        int events = audit.events.size();

        assertEquals(LeakFeedback.Label.TRUE_POSITIVE, judge(responder(), rotated.clientSecret()));
        assertEquals(LeakFeedback.Label.TRUE_POSITIVE, judge(responder(), deleted.clientSecret()));

        assertTrue(exists(rotated), "its current secret did not leak");
        assertEquals(events, audit.events.size());
        assertFalse(leaks.calls.contains("policy"), leaks.calls.toString());
    }

    @Test
    void aSecretInItsGracePeriod_shouldStillCountAsWorking() {
        KeyWithSecret key = ownedKey("acme");
        service.rotation().rotate("acme", key.key().id(), 600L, "admin");
        clock.advance(Duration.ofSeconds(599));

        assertEquals(LeakFeedback.Label.TRUE_POSITIVE, judge(responder(), key.clientSecret()));

        assertFalse(exists(key));
    }

    @Test
    void aKeyDeletedMeanwhile_shouldBeRevokedAllTheSame() {
        KeyWithSecret key = ownedKey("acme");
        ClientRecord client = store.find(key.key().clientId()).orElseThrow();
        service.deletion().delete("acme", key.key().id(), "admin");

        ClientStore stillThere = new ClientStore() {
            @Override
            public Optional<ClientRecord> find(String clientId) {
                return Optional.of(client);
            }

            @Override
            public boolean replace(ClientRecord current, ClientRecord next) {
                throw new UnsupportedOperationException();
            }
        };

        assertEquals(LeakFeedback.Label.TRUE_POSITIVE, judge(responder(stillThere, audit), key.clientSecret()));
        assertEquals(List.of("ownerOf", "policy"), leaks.calls, "it was still working when looked up");
    }

    @Test
    void aRevocationThatFailsForAnotherReason_shouldFailTheReport() {
        KeyWithSecret key = ownedKey("acme");
        ClientRecord client = store.find(key.key().clientId()).orElseThrow();
        leaks.owners.put(Credentials.hash(key.clientSecret()),
                new LeakStore.SecretOwner("not an account!", key.key().id(), key.key().clientId()));
        ClientStore accepting = new ClientStore() {
            @Override
            public Optional<ClientRecord> find(String clientId) {
                return Optional.of(client);
            }

            @Override
            public boolean replace(ClientRecord current, ClientRecord next) {
                throw new UnsupportedOperationException();
            }
        };

        KeywardException failed = assertThrows(KeywardException.class,
                () -> responder(accepting, audit).respond(List.of(report(key.clientSecret()))));
        assertFalse(failed.code() == ErrorCode.KEY_NOT_FOUND, failed.code().toString());
        assertTrue(exists(key));
    }

    @Test
    void aWorkingSecret_underFlag_shouldMarkTheKey_andRecordIt_once() {
        KeyWithSecret key = ownedKey("acme");
        leaks.policies.put("acme", LeakPolicy.FLAG);

        assertEquals(LeakFeedback.Label.TRUE_POSITIVE, judge(responder(), key.clientSecret()));
        assertEquals(1, audit.events.stream().filter(e -> e.action() == AuditAction.LEAK_REPORTED).count(), "the first flag");
        assertEquals(LeakFeedback.Label.TRUE_POSITIVE, judge(responder(), key.clientSecret()));

        assertTrue(exists(key), "flagged, not deleted");
        assertEquals(List.of("acme " + key.key().id() + " " + URL + " 2026-11-27T10:00:00.250Z",
                "acme " + key.key().id() + " " + URL + " 2026-11-27T10:00:00.250Z"), leaks.flags);
        List<AuditEvent> reported = audit.events.stream().filter(e -> e.action() == AuditAction.LEAK_REPORTED).toList();
        assertEquals(1, reported.size(), "the second report flagged nothing new");
        assertEquals(List.of("acme", key.key().id(), LeakResponder.ACTOR, Instant.parse("2026-11-27T10:00:00.250Z")),
                List.of(reported.get(0).accountId(), reported.get(0).keyId(), reported.get(0).caller(), reported.get(0).at()));
    }

    @Test
    void anAuditTrailThatFails_shouldNotFailTheFlag() {
        KeyWithSecret key = ownedKey("acme");
        leaks.policies.put("acme", LeakPolicy.FLAG);
        AuditTrail failing = new AuditTrail() {
            @Override
            public void record(AuditEvent event) {
                throw new IllegalStateException("unreachable");
            }

            @Override
            public Page list(String accountId, int limit, String afterId) {
                throw new UnsupportedOperationException();
            }
        };

        assertEquals(LeakFeedback.Label.TRUE_POSITIVE, judge(responder(store, failing), key.clientSecret()));
        assertEquals(1, leaks.flags.size());
    }

    @Test
    void answers_shouldFollowTheReportsOrder_upToMaxTokens() {
        KeyWithSecret key = ownedKey("acme");
        List<LeakReport> reports = new ArrayList<>(Collections.nCopies(LeakResponder.MAX_TOKENS - 1, report("x")));
        reports.add(report(key.clientSecret()));

        List<LeakFeedback> answers = responder().respond(reports);

        assertEquals(LeakResponder.MAX_TOKENS, answers.size());
        assertEquals(LeakFeedback.Label.FALSE_POSITIVE, answers.get(0).label());
        assertEquals(LeakFeedback.Label.TRUE_POSITIVE, answers.get(LeakResponder.MAX_TOKENS - 1).label());

        reports.add(report("y"));
        KeywardException tooMany = assertThrows(KeywardException.class, () -> responder().respond(reports));
        assertEquals(ErrorCode.TOO_MANY_TOKENS, tooMany.code());
        assertEquals("The report holds 1001 tokens; at most 1000 are accepted per request.", tooMany.detail());
    }

    @Test
    void theReportsRecords_shouldNameTheirWireValues_andNeverPrintTheToken() {
        String secret = Credentials.newClientSecret();

        assertEquals("true_positive", LeakFeedback.Label.TRUE_POSITIVE.wireName());
        assertEquals("false_positive", LeakFeedback.Label.FALSE_POSITIVE.wireName());
        assertEquals(LeakPolicy.FLAG, LeakPolicy.fromWireName("flag"));
        assertEquals(LeakPolicy.REVOKE, LeakPolicy.fromWireName("revoke"));
        assertEquals(LeakPolicy.REVOKE, LeakPolicy.fromWireName(null));
        assertEquals("flag", LeakPolicy.FLAG.wireName());
        String feedback = new LeakFeedback(secret, "keyward_client_secret", LeakFeedback.Label.TRUE_POSITIVE).toString();
        String reported = report(secret).toString();
        for (String text : List.of(feedback, reported)) {
            assertFalse(text.contains(secret), text);
            assertTrue(text.contains("keyward_client_secret") && text.contains("<redacted>"), text);
        }
    }

    /** Owners by secret hash, policies by account, and the flags set, in memory. */
    private static final class FakeLeaks implements LeakStore {
        final Map<String, SecretOwner> owners = new HashMap<>();
        final Map<String, LeakPolicy> policies = new HashMap<>();
        final List<String> flags = new ArrayList<>();
        final List<String> calls = new ArrayList<>();
        private final Map<String, String> flagged = new HashMap<>();

        @Override
        public Optional<SecretOwner> ownerOf(String secretHash) {
            calls.add("ownerOf");
            return Optional.ofNullable(owners.get(secretHash));
        }

        @Override
        public LeakPolicy policy(String accountId) {
            calls.add("policy");
            return policies.getOrDefault(accountId, LeakPolicy.REVOKE);
        }

        @Override
        public boolean flag(String accountId, String keyId, String secretHash, String url, Instant at) {
            flags.add(accountId + " " + keyId + " " + url + " " + at);
            return flagged.put(accountId + "/" + keyId, secretHash) == null;
        }
    }
}
