package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The client record's secrets and rotation state, on their own. */
class ClientRecordTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final ClientRecord.OtherSecret IN_GRACE = new ClientRecord.OtherSecret("old", NOW.plusSeconds(60));
    private static final ClientRecord RECORD = new ClientRecord("kw_cid_a", "acme", "key_1", "current",
            List.of(IN_GRACE), 7, null, NOW.plusSeconds(3600), new TreeSet<>(List.of("orders:read")));

    private static ClientRecord with(String secretHash, List<ClientRecord.OtherSecret> others, long revision) {
        return new ClientRecord("kw_cid_a", "acme", "key_1", secretHash, others, revision, null);
    }

    @Test
    void isStateOf_shouldNeedTheSameRevision_currentSecret_andOtherSecrets() {
        ClientRecord written = with("current", List.of(IN_GRACE), 7);

        assertTrue(RECORD.isStateOf(written));
        assertTrue(RECORD.isStateOf(with("current", List.of(new ClientRecord.OtherSecret("old", null)), 7)),
                "the other secrets' hashes, whatever their ends");
        assertFalse(RECORD.isStateOf(with("current", List.of(IN_GRACE), 8)), "another revision");
        assertFalse(RECORD.isStateOf(with("other", List.of(IN_GRACE), 7)), "another current secret");
        assertFalse(RECORD.isStateOf(with("current", List.of(), 7)), "fewer other secrets");
        assertFalse(RECORD.isStateOf(with("current", List.of(IN_GRACE, new ClientRecord.OtherSecret("new", null)), 7)),
                "more other secrets");
    }

    @Test
    void releaseRotation_shouldFreeTheLease_keepEverySecret_andCountARevision() {
        ClientRecord rotating = RECORD.beginRotation("new", NOW.plusSeconds(30));
        assertTrue(rotating.rotationInProgress(NOW));
        assertEquals(8, rotating.revision());

        ClientRecord released = rotating.releaseRotation();

        assertFalse(released.rotationInProgress(NOW));
        assertNull(released.rotationLeaseUntil());
        assertEquals(9, released.revision());
        assertEquals(rotating.others(), released.others(), "the new secret stays accepted: the vault may hold it");
        assertTrue(released.accepts("new", NOW));
        assertEquals(RECORD.secretHash(), released.secretHash());
        assertEquals(RECORD.expiresAt(), released.expiresAt());
        assertEquals(RECORD.scopes(), released.scopes());
        assertEquals(List.of(RECORD.clientId(), RECORD.accountId(), RECORD.keyId()),
                List.of(released.clientId(), released.accountId(), released.keyId()));
    }

    @Test
    void rotationInProgress_shouldEndAtTheLeasesEnd() {
        ClientRecord rotating = RECORD.beginRotation("new", NOW.plusSeconds(30));

        assertTrue(rotating.rotationInProgress(NOW.plusSeconds(29)));
        assertFalse(rotating.rotationInProgress(NOW.plusSeconds(30)));
    }

    @Test
    void accepts_shouldTakeTheCurrentSecret_andOthersUntilTheirGraceEnds() {
        assertTrue(RECORD.accepts("current", NOW.plusSeconds(86_400)));
        assertTrue(RECORD.accepts("old", NOW.plusSeconds(59)));
        assertFalse(RECORD.accepts("old", NOW.plusSeconds(60)), "from the grace period's end on");
        assertFalse(RECORD.accepts("unknown", NOW));
    }

    @Test
    void expiredAt_shouldBeTrueFromTheFirstInstantOfTheExpiry() {
        assertFalse(RECORD.expiredAt(NOW.plusSeconds(3600).minusNanos(1)));
        assertTrue(RECORD.expiredAt(NOW.plusSeconds(3600)));
        assertFalse(with("current", List.of(), 1).expiredAt(Instant.MAX));
    }

    @Test
    void previousValidUntil_shouldBeTheLatestGraceEnd_andNullWithoutOne() {
        ClientRecord.OtherSecret later = new ClientRecord.OtherSecret("older", NOW.plusSeconds(120));
        ClientRecord.OtherSecret pending = new ClientRecord.OtherSecret("pending", null);

        assertEquals(NOW.plusSeconds(120), with("current", List.of(IN_GRACE, later, pending), 3).previousValidUntil());
        assertEquals(NOW.plusSeconds(120), with("current", List.of(later, IN_GRACE), 3).previousValidUntil());
        assertEquals(null, with("current", List.of(pending), 3).previousValidUntil());
        assertEquals(null, with("current", List.of(), 3).previousValidUntil());
    }

    @Test
    void awaits_shouldBeTrueOnlyForASecretAcceptedWithoutAnEnd() {
        ClientRecord record = with("current", List.of(IN_GRACE, new ClientRecord.OtherSecret("pending", null)), 3);

        assertTrue(record.awaits("pending"));
        assertFalse(record.awaits("old"), "in grace: its rotation completed");
        assertFalse(record.awaits("current"));
        assertFalse(record.awaits("unknown"));
    }
}
