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
    private final InMemoryAuditTrail audit = store.audit;
    private final RecordingLog log = new RecordingLog();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00.250Z"));
    private final UseCases service = new UseCases(store, store, new InMemoryVault(), audit, clock, 100, log);
    private final FakeLeaks leaks = new FakeLeaks();

    private LeakResponder responder(ClientStore clients, AuditTrail trail) {
        return new LeakResponder(service.deletion(), clients, leaks, clock, log);
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

        ClientStore stillThere = alwaysFinding(client);

        assertEquals(LeakFeedback.Label.TRUE_POSITIVE, judge(responder(stillThere, audit), key.clientSecret()));
        assertEquals(List.of("ownerOf", "policy"), leaks.calls, "it was still working when looked up");
    }

    @Test
    void aRevocationThatFailsForAnotherReason_shouldFailTheReport() {
        KeyWithSecret key = ownedKey("acme");
        ClientRecord client = store.find(key.key().clientId()).orElseThrow();
        leaks.owners.put(Credentials.hash(key.clientSecret()),
                new LeakStore.SecretOwner("not an account!", key.key().id(), key.key().clientId()));
        ClientStore accepting = alwaysFinding(client);

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
        assertEquals(1, leaks.events.size(), "the first flag");
        assertEquals(LeakFeedback.Label.TRUE_POSITIVE, judge(responder(), key.clientSecret()));

        assertTrue(exists(key), "flagged, not deleted");
        assertEquals(List.of("acme " + key.key().id() + " " + URL + " 2026-11-27T10:00:00.250Z",
                "acme " + key.key().id() + " " + URL + " 2026-11-27T10:00:00.250Z"), leaks.flags);
        assertEquals(1, leaks.events.size(), "the second report flagged nothing new, and wrote no event");
        ChangeEvent event = leaks.events.get(0);
        assertEquals(List.of(EventType.KEY_LEAKED, "acme", key.key().id(), key.key().clientId(),
                        ChangeEvent.Actor.secretScanning(), Instant.parse("2026-11-27T10:00:00.250Z")),
                List.of(event.type(), event.accountId(), event.keyId(), event.clientId(), event.actor(), event.time()));
        assertEquals(Map.of("action", "flagged", "url", URL), event.data());
        AuditEvent reported = event.auditEvent();
        assertEquals(List.of(AuditAction.LEAK_REPORTED, LeakResponder.ACTOR), List.of(reported.action(), reported.caller()));
    }

    @Test
    void aWorkingSecret_underRevoke_shouldWriteTheDeletionAndTheLeak_withTheRemoval() {
        KeyWithSecret key = ownedKey("acme");

        assertEquals(LeakFeedback.Label.TRUE_POSITIVE, judge(responder(), key.clientSecret()));

        List<ChangeEvent> written = audit.published.stream().filter(e -> e.type() != EventType.KEY_CREATED).toList();
        assertEquals(List.of(EventType.KEY_DELETED, EventType.KEY_LEAKED), written.stream().map(ChangeEvent::type).toList());
        assertEquals(Map.of("reason", "leaked"), written.get(0).data());
        assertEquals(Map.of("action", "revoked", "url", URL), written.get(1).data());
        assertTrue(written.stream().allMatch(e -> e.actor().equals(ChangeEvent.Actor.secretScanning())
                && e.clientId().equals(key.key().clientId())));
        assertEquals(List.of("key.created " + key.key().id(), "key.deleted " + key.key().id()), audit.actions(),
                "the revocation is the deletion's audit entry");
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
        /** The events written with the flags: only those that were written. */
        final List<ChangeEvent> events = new ArrayList<>();

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
        public boolean flag(String accountId, String keyId, String secretHash, String url, Instant at, ChangeEvent event) {
            flags.add(accountId + " " + keyId + " " + url + " " + at);
            if (flagged.put(accountId + "/" + keyId, secretHash) != null) {
                return false;
            }
            events.add(event);
            return true;
        }
    }

    /** A client store that still finds {@code client} and cannot change it. */
    private static ClientStore alwaysFinding(ClientRecord client) {
        return new ClientStore() {
            @Override
            public Optional<ClientRecord> find(String clientId) {
                return Optional.of(client);
            }

            @Override
            public boolean replace(ClientRecord current, ClientRecord next, ChangeEvent event) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
