package dev.keyward.core;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What Keyward does on its own, on a schedule: destroys the secrets that belong to no key, and
 * deletes the keys that have been expired longer than their account keeps them.
 *
 * <p>Ordering rules. The sweep finds what a create or a delete that failed half-way left noted
 * ({@link KeyStore#noteSecret}) without listing the whole vault. A note younger than the minimum
 * age is left alone, since a create still in flight notes its secret before it saves its key. For
 * a note whose key does not exist, the sweep first claims the note with a condition on its
 * {@code notedAt} ({@link #SWEEP_CLAIM}), and a create cannot note it again while the claim
 * lasts; only then is the secret destroyed, so a create retried meanwhile cannot end with a key
 * whose secret was destroyed. Deleting an expired key reads it again first and removes it only
 * while its expiry is still the one that qualified it; then it ends as an admin's delete does
 * ({@link KeyDeletion}): audited as by {@value #SYSTEM}, its secret destroyed.
 */
public final class Housekeeping {
    /** The caller the audit trail names for what Keyward does on its own, such as deleting expired keys. */
    public static final String SYSTEM = "system";
    /** How long the sweep holds a note it destroys the secret of: far longer than that takes. */
    public static final Duration SWEEP_CLAIM = Duration.ofMinutes(5);
    /** The first expiry warning, this many days before a key expires. */
    public static final int FIRST_WARNING_DAYS = 7;
    /** The last one. */
    public static final int LAST_WARNING_DAYS = 1;
    /** How long after a key expired the sweep still announces it. */
    public static final Duration EXPIRED_LOOKBACK = Duration.ofDays(7);

    private final KeyPorts ports;
    private final KeyStore store;
    private final SecretVault vault;
    private final EventLog log;

    public Housekeeping(KeyPorts ports) {
        this.ports = ports;
        this.store = ports.store();
        this.vault = ports.vault();
        this.log = ports.log();
    }

    /**
     * Destroys the secrets that belong to no key: what a create or a delete that failed half-way
     * left noted. A note younger than {@code minAge} is left alone. Each note is handled on its
     * own: one that fails is counted, logged and kept for the next sweep. A noted key that exists
     * but whose secret is gone is reported as {@code secret_missing} and stays noted, so it is
     * reported again until someone repairs it.
     */
    public SweepReport sweepOrphanSecrets(Duration minAge) {
        int destroyed = 0;
        int failed = 0;
        int secretsMissing = 0;
        for (KeyStore.SecretNote note : store.secretNotes(ports.clock().instant().minus(minAge))) {
            try {
                Optional<StoredKey> key = store.find(note.accountId(), note.keyId());
                if (key.isEmpty()) {
                    // a create retried since may have noted, stored and saved the secret anew: only
                    // while the note is the one listed, and no create can note it again, is it ours
                    if (!store.claimNote(note, ports.clock().instant(), ports.clock().instant().plus(SWEEP_CLAIM))) {
                        continue;
                    }
                    vault.destroy(note.accountId(), note.keyId());
                    log.info("orphan_secret_swept", note.accountId(), note.keyId());
                    destroyed++;
                } else if (vault.read(key.get().secretRef()).isEmpty()) {
                    log.warn("secret_missing", note.accountId(), note.keyId(), null);
                    secretsMissing++;
                    continue;
                }
                store.forgetSecret(note.accountId(), note.keyId());
            } catch (RuntimeException e) {
                log.warn("sweep_note_failed", note.accountId(), note.keyId(), e);
                failed++;
            }
        }
        return new SweepReport(destroyed, failed, secretsMissing);
    }

    /**
     * What one sweep did.
     *
     * @param destroyed      orphaned secrets destroyed
     * @param failed         notes that could not be handled (kept for the next sweep)
     * @param secretsMissing keys that exist without their secret
     */
    public record SweepReport(int destroyed, int failed, int secretsMissing) {
    }

    /**
     * Deletes the expired keys of the accounts that opted into it, once they have been expired
     * for the account's {@link AccountSettings#expiredKeyRetentionDays}: as an admin's delete
     * does (key, client, secret), recorded in the audit trail as by {@value #SYSTEM}. Each key is
     * read again first, and deleted only while its expiry is still the one that qualified it, so
     * an admin extending a key at the same moment keeps it. A key that fails is left for the next
     * run.
     *
     * @return how many keys were deleted
     */
    public int deleteExpiredKeys() {
        Instant now = ports.clock().instant();
        Map<String, AccountSettings> settings = new HashMap<>();
        int deleted = 0;
        for (ExpiredKey candidate : store.expiredKeys(now.minus(Duration.ofDays(AccountSettings.MIN_RETENTION_DAYS)))) {
            String accountId = candidate.accountId();
            String keyId = candidate.keyId();
            try {
                Integer days = settings.computeIfAbsent(accountId, store::settings).expiredKeyRetentionDays();
                if (days == null || now.isBefore(candidate.expiresAt().plus(Duration.ofDays(days)))) {
                    continue;
                }
                Optional<StoredKey> current = store.find(accountId, keyId);
                if (current.isEmpty() || !candidate.expiresAt().equals(current.get().key().expiresAt())) {
                    continue; // gone, or its expiry changed since the index was written
                }
                if (!store.deleteExpired(current.get(), now,
                        KeyDeletion.deleted(ports, current.get().key(), ChangeEvent.Actor.system(), "expired"))) {
                    continue;
                }
            } catch (RuntimeException e) {
                log.warn("expired_key_not_deleted", accountId, keyId, e);
                continue;
            }
            KeyDeletion.removed(ports, "expired_key_deleted", accountId, keyId);
            deleted++;
        }
        return deleted;
    }

    /**
     * Announces what is about to expire, and what has: {@code key.expiring} when a key has
     * {@value #FIRST_WARNING_DAYS} days left, again at {@value #LAST_WARNING_DAYS} day, and {@code key.expired} once it
     * passed (noticed for {@link #EXPIRED_LOOKBACK}, so a sweep that failed for hours still sends it). Each is
     * written once per key, expiry and threshold ({@link AuditTrail#recordOnce}), however often the sweep runs or
     * retries; an expiry an admin changes gets warnings of its own. A key with less than a threshold left when
     * it is first seen gets the nearest warning only. Each key's key item is read again first: a key deleted or
     * given another expiry since the index was written is left alone. A key that fails is logged and tried
     * again at the next run.
     *
     * @return how many events were written now
     */
    public int announceExpiries() {
        Instant now = ports.clock().instant();
        int written = 0;
        // expiries are whole seconds: a key with exactly 7 days left is among those before the next second
        for (ExpiredKey candidate : store.expiredKeys(now.plus(Duration.ofDays(FIRST_WARNING_DAYS)).plusSeconds(1))) {
            Instant expiresAt = candidate.expiresAt();
            if (expiresAt.isBefore(now.minus(EXPIRED_LOOKBACK))) {
                continue;
            }
            try {
                Optional<StoredKey> current = store.find(candidate.accountId(), candidate.keyId());
                if (current.isEmpty() || !expiresAt.equals(current.get().key().expiresAt())) {
                    continue;
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("expiresAt", ChangeEvent.time(expiresAt));
                EventType type;
                String threshold;
                if (!now.isBefore(expiresAt)) {
                    type = EventType.KEY_EXPIRED;
                    threshold = "expired";
                } else {
                    int daysLeft = now.plus(Duration.ofDays(LAST_WARNING_DAYS)).isBefore(expiresAt)
                            ? FIRST_WARNING_DAYS : LAST_WARNING_DAYS;
                    data.put("daysLeft", daysLeft);
                    type = EventType.KEY_EXPIRING;
                    threshold = daysLeft + "d";
                }
                ChangeEvent event = ports.events().key(type, current.get().key(), ChangeEvent.Actor.system(), data);
                if (ports.audit().recordOnce(event, candidate.keyId() + "#" + expiresAt.getEpochSecond() + "#" + threshold)) {
                    log.info(type == EventType.KEY_EXPIRED ? "key_expired_announced" : "key_expiring_announced",
                            candidate.accountId(), candidate.keyId());
                    written++;
                }
            } catch (RuntimeException e) {
                log.warn("expiry_not_announced", candidate.accountId(), candidate.keyId(), e);
            }
        }
        return written;
    }
}
