package dev.keyward.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The API-key lifecycle: create, view ("Edit"), list, rename, rotate and delete, and the
 * account's audit trail of them.
 *
 * <p>Ordering rules that keep the two stores honest. The key store (DynamoDB) decides which
 * secrets are accepted; the vault (Secrets Manager) is where admins and integrations fetch the
 * secret. Nothing may make a deleted key work, no failure may leave the vault holding a secret
 * the key store refuses, and no key may exist without its secret.
 *
 * <p>Any call may fail three ways: refused (a condition, a conflict, throttling: nothing was
 * written), unknown ({@link OutcomeUnknownException}: no answer, or a 5xx; the write may have
 * been applied, and may even be applied later), or a bug. An unknown outcome is resolved by
 * reading state, never by guessing; when even the read fails, the request answers 503 and leaves
 * nothing the steps below cannot repair. Every write is safe to repeat: the key store's
 * transactions carry a request token derived from the operation, and the vault's writes a
 * request id, so the SDK's own retry of a write that was applied does not apply it twice.
 *
 * <p><b>Create</b>, step by step, and what a crash or an unknown outcome at each step leaves:
 * <ol>
 *   <li>read the account's key count: nothing written yet;</li>
 *   <li>note the secret ({@link KeyStore#noteSecret}): a note without a secret; the sweep drops it;</li>
 *   <li>store the secret in the vault: a secret with its note and no key; the sweep destroys
 *       it. A repeated store of the same key keeps the secret an earlier attempt stored;</li>
 *   <li>save key, client and count and drop the note in one transaction. Unknown outcome: the
 *       key is read back; if it exists the answer is 201, and its secret is never destroyed.
 *       If it does not, the secret stays noted (the transaction might still be applied, and
 *       then it drops the note and the key has its secret) and the answer is 503; the sweep
 *       destroys the secret once the note is old enough that no transaction can still land.
 *       Refused (limit reached, conflict, throttling): the secret is destroyed and the note
 *       dropped before the error is answered; if that fails, the note remains for the sweep.</li>
 *   <li>record the audit event: a failure is logged, the key is created.</li>
 * </ol>
 *
 * <p><b>Rotate</b> takes three writes, each conditional on the client item still existing at
 * the revision read, so a rotation racing a delete fails instead of bringing the key back:
 * <ol>
 *   <li>the key store accepts the new secret besides the current one and takes a lease
 *       ({@link #ROTATION_LEASE}) so that rotations of one key never overlap. A refused
 *       condition is read back: if the stored client is this write's state, the write was ours
 *       (a retry of a lost answer) and the rotation goes on; otherwise it is 409 or 404. Crash:
 *       the new secret is accepted too, though nobody has it; the lease runs out;</li>
 *   <li>the vault stores the new secret as current. Unknown outcome: the vault is read; if it
 *       holds the new secret the rotation goes on, otherwise the lease is released and the answer
 *       is 503. Crash: both secrets work until the next rotation, which starts the grace period
 *       for every secret a failed one left behind;</li>
 *   <li>the key store makes the new secret current and keeps the previous one until the grace
 *       period ends (or drops it at once for a grace of 0). A refused condition or an unknown
 *       outcome is read back: if the client is in this write's state the answer is 200 (a
 *       completed rotation never answers 409); otherwise the lease is released and the answer
 *       is 503, with both secrets working.</li>
 * </ol>
 * No step locks the integration out: whatever the vault hands out is accepted.
 *
 * <p><b>Delete</b>:
 * <ol>
 *   <li>read the key: nothing written yet;</li>
 *   <li>remove key and client, decrement the count and note the secret in one transaction:
 *       the moment it commits, the key is refused. Unknown outcome: the key is read back; gone
 *       means 204, present means 503 with nothing changed (a retry deletes it). A condition
 *       refused because the key is already gone (the SDK retried an applied transaction, or
 *       another delete won) is 204 too;</li>
 *   <li>record the audit event: a failure is logged;</li>
 *   <li>destroy the secret, then drop the note. A failure in either leaves the note, and the
 *       sweep destroys the secret; the caller still gets 204, since the key is gone and its
 *       secret belongs to no key.</li>
 * </ol>
 *
 * <p><b>Idempotency-Key</b> (create and rotate): the request first claims the key in the
 * {@link IdempotencyStore} (a conditional write: one request wins), reserving the key id a create
 * will use. Refused or unknown, the claim is read back. A failed attempt releases the claim, so a
 * retry runs at once and, for a create, makes the same key and keeps the secret an earlier attempt
 * stored. A crash leaves the claim held for {@link IdempotencyRecord#LEASE}; the next retry then
 * takes over and, for a create, finds the key if the crashed attempt saved it; for a rotation,
 * finds the secret an earlier attempt stored (by that attempt's version id) and answers it again,
 * finishing its step 3 if it stopped before, so a key is never rotated twice for one request and
 * no retry cuts a grace short. A success stores the answer, member for member and with the time it
 * was given, but only a reference to the secret; a retry replays it, recording the view of the
 * secret before reading it back. The range of an expiry is checked when a key is made, never for
 * a replay.
 *
 * <p>{@link #sweepOrphanSecrets} finds what a failure or a crash left noted without listing
 * the whole vault, and reports keys whose secret is missing.
 *
 * <p>Every change, and every view of a secret, is written to the audit trail. A view is recorded
 * before the secret is read, so no secret is shown unrecorded; a change is recorded after it
 * succeeded, and a failure to record it is logged rather than reported as a failed change.
 */
public final class KeyService {
    public static final int DEFAULT_KEY_LIMIT = 100;
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 100;
    public static final int MAX_GRACE_SECONDS = 86_400;
    /** The caller the audit trail names for what Keyward does on its own, such as deleting expired keys. */
    public static final String SYSTEM = "system";
    /** Longer than any request may run (the functions time out after 20 s). */
    public static final Duration ROTATION_LEASE = Duration.ofSeconds(60);
    /** How long the sweep holds a note it destroys the secret of: far longer than that takes. */
    public static final Duration SWEEP_CLAIM = Duration.ofMinutes(5);
    /** The account priming reads from: not a valid place for keys to exist, only ever read. */
    public static final String PRIMING_ACCOUNT = "keyward-priming";
    /** A key id no key has (ULIDs of time zero are never issued). */
    public static final String PRIMING_KEY = "key_00000000000000000000000000";
    private static final String PRIMING_SECRET = "keyward/" + PRIMING_ACCOUNT + "/" + PRIMING_KEY;

    private final KeyStore store;
    private final ClientStore clients;
    private final SecretVault vault;
    private final AuditTrail audit;
    private final Clock clock;
    private final Supplier<String> keyIds;
    private final Supplier<String> auditIds;
    private final int keyLimit;
    private final EventLog log;
    private final IdempotencyStore idempotency;

    /** A service that refuses requests with an Idempotency-Key (for tests that do not need them). */
    public KeyService(KeyStore store, ClientStore clients, SecretVault vault, AuditTrail audit, Clock clock,
                      int keyLimit, EventLog log) {
        this(store, clients, vault, audit, null, clock, keyLimit, log);
    }

    public KeyService(KeyStore store, ClientStore clients, SecretVault vault, AuditTrail audit,
                      IdempotencyStore idempotency, Clock clock, int keyLimit, EventLog log) {
        this.idempotency = idempotency;
        this.store = Objects.requireNonNull(store);
        this.clients = Objects.requireNonNull(clients);
        this.vault = Objects.requireNonNull(vault);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
        this.keyIds = KeyIds.generator(clock);
        this.auditIds = AuditIds.generator(clock);
        if (keyLimit < 1) {
            throw new IllegalArgumentException("keyLimit must be at least 1, was " + keyLimit);
        }
        this.keyLimit = keyLimit;
        this.log = Objects.requireNonNull(log);
    }

    /**
     * Walks create's path without writing anything, for priming a function before a snapshot: the
     * account's key count, a secret read (which builds the Secrets Manager client), a Client ID, a
     * Client Secret, its hash and a key id. The account is one Keyward never stores keys under.
     */
    public void primeCreate() {
        store.count(PRIMING_ACCOUNT);
        primeVault();
        Credentials.hash(Credentials.newClientSecret() + Credentials.newClientId());
        keyIds.get();
    }

    /** One read of a secret that does not exist: the Secrets Manager path of get, rotate and delete, writing nothing. */
    public void primeVault() {
        vault.read(PRIMING_SECRET);
    }

    public KeyWithSecret create(String accountId, String rawName, String createdBy) {
        return createFromRequest(accountId, rawName, Map.of(), createdBy, null);
    }

    /**
     * Creates a key, optionally expiring and with scopes (no idempotency key).
     *
     * @param rawExpiresAt an RFC 3339 UTC timestamp ({@link Expiries}), or null for never
     * @param rawScopes    a list of scope names ({@link Scopes}), or null for none
     */
    public KeyWithSecret create(String accountId, String rawName, Object rawExpiresAt, Object rawScopes,
                                String createdBy) {
        Map<String, Object> members = new HashMap<>();
        members.put("expiresAt", rawExpiresAt);
        if (rawScopes != null) {
            members.put("scopes", rawScopes);
        }
        return createFromRequest(accountId, rawName, members, createdBy, null);
    }

    /**
     * Creates a key. With an {@code idempotencyKey}, a repeat of the same request within
     * {@link IdempotencyRecord#WINDOW} answers the same key and secret and creates nothing: the
     * key id is reserved before anything is written, so even a repeat of a request that failed
     * half-way creates the one key it would have created.
     */
    public KeyWithSecret create(String accountId, String rawName, String createdBy, String idempotencyKey) {
        return createFromRequest(accountId, rawName, Map.of(), createdBy, idempotencyKey);
    }

    /**
     * Creates a key named {@code rawName} with a create request's optional members:
     * {@code expiresAt} (absent or null: never) and {@code scopes} (absent or []: none); see
     * {@link #create(String, String, String, String)} for the {@code idempotencyKey}.
     */
    public KeyWithSecret createFromRequest(String accountId, String rawName, Map<String, Object> members,
                                           String createdBy, String idempotencyKey) {
        AccountIds.require(accountId);
        String name = Names.normalize(rawName);
        Object rawExpiresAt = members.get("expiresAt");
        // the range of an expiry moves with time: it is checked when a key is made, never for a replay
        Instant expiresAt = rawExpiresAt == null ? null : Expiries.parseFormat(rawExpiresAt);
        SortedSet<String> scopes = members.containsKey("scopes") ? Scopes.parse(members.get("scopes")) : Scopes.NONE;
        if (idempotencyKey == null) {
            Expiries.requireInRange(expiresAt, clock.instant());
            String keyId = keyIds.get();
            return createKey(accountId, keyId, name, expiresAt, scopes, createdBy, keyId).withSecret(null);
        }
        String fingerprint = expiresAt == null && scopes.isEmpty() ? fingerprint("create", accountId, name)
                : fingerprint("create", accountId, name, String.valueOf(expiresAt), String.join(" ", scopes));
        Claim claim = claim(accountId, idempotencyKey, fingerprint, keyIds.get());
        if (claim.done() != null) {
            return replay(claim.done(), createdBy).key();
        }
        IdempotencyRecord record = claim.running();
        String requestId = "create " + accountId + " " + idempotencyKey;
        try {
            Created created = claim.running().attempt() > 1 ? resumeCreate(record, name, requestId) : null;
            if (created == null) {
                Expiries.requireInRange(expiresAt, clock.instant());
                created = createKey(accountId, record.keyId(), name, expiresAt, scopes, createdBy, requestId);
            }
            Instant answeredAt = clock.instant();
            completeQuietly(record, new IdempotencyRecord.Result(created.key(), created.secretRef(), requestId, null,
                    answeredAt));
            return created.withSecret(answeredAt);
        } catch (RuntimeException e) {
            releaseQuietly(record, e);
            throw e;
        }
    }

    /**
     * A taken-over create whose reserved key an earlier attempt saved: the answer that attempt
     * gave (the key as created: the request's name, never used yet), or null when it saved none.
     */
    private Created resumeCreate(IdempotencyRecord record, String name, String requestId) {
        Optional<StoredKey> saved = store.find(record.accountId(), record.keyId());
        if (saved.isEmpty()) {
            return null;
        }
        String secret = vault.readVersion(saved.get().secretRef(), requestId)
                .or(() -> vault.read(saved.get().secretRef()))
                .orElseThrow(() -> secretMissing(record.accountId(), record.keyId()));
        ApiKey stored = saved.get().key();
        ApiKey asCreated = new ApiKey(stored.accountId(), stored.id(), name, stored.clientId(), stored.createdAt(),
                stored.createdBy(), null, stored.expiresAt(), stored.scopes());
        return new Created(asCreated, saved.get().secretRef(), secret);
    }

    private record Created(ApiKey key, String secretRef, String secret) {
        KeyWithSecret withSecret(Instant asOf) {
            return new KeyWithSecret(key, secret, asOf);
        }
    }

    /** Steps 1 to 5 of a create (see the class comment) under a fresh or reserved key id. */
    private Created createKey(String accountId, String keyId, String name, Instant expiresAt,
                              SortedSet<String> scopes, String createdBy, String requestId) {
        if (store.count(accountId) >= keyLimit) {
            throw keyLimitReached(keyLimit);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        store.noteSecret(accountId, keyId, now);
        SecretVault.StoredSecret secret;
        try {
            secret = vault.store(accountId, keyId, Credentials.newClientId(), Credentials.newClientSecret(), requestId);
        } catch (OutcomeUnknownException e) {
            log.warn("create_outcome_unknown", accountId, keyId, e);
            throw e; // the secret may exist; it stays noted for the sweep
        } catch (RuntimeException e) {
            destroyQuietly(accountId, keyId, e);
            throw e;
        }
        ApiKey key = new ApiKey(accountId, keyId, name, secret.clientId(), now, createdBy, null, expiresAt, scopes);
        KeyStore.Insert outcome;
        try {
            outcome = store.insert(key, Credentials.hash(secret.clientSecret()), secret.ref(), keyLimit);
        } catch (DependencyUnavailableException e) {
            if (saved(key)) {
                outcome = KeyStore.Insert.ALREADY_SAVED;
            } else if (e instanceof OutcomeUnknownException) {
                // it may still be applied: destroying the secret now could leave a key without one
                log.warn("create_outcome_unknown", accountId, keyId, e);
                throw e;
            } else {
                destroyQuietly(accountId, keyId, e);
                throw e;
            }
        } catch (RuntimeException e) {
            destroyQuietly(accountId, keyId, e);
            throw e;
        }
        if (outcome != KeyStore.Insert.SAVED && !saved(key)) {
            KeywardException refused = outcome == KeyStore.Insert.LIMIT_REACHED ? keyLimitReached(keyLimit)
                    : new OutcomeUnknownException("DynamoDB", null);
            destroyQuietly(accountId, keyId, refused);
            throw refused;
        }
        log.info("key_created", accountId, keyId);
        recordQuietly(accountId, AuditAction.CREATED, keyId, createdBy);
        return new Created(key, secret.ref(), secret.clientSecret());
    }

    /** Whether {@code key} is in the store as written (read strongly consistent). */
    private boolean saved(ApiKey key) {
        return store.find(key.accountId(), key.id())
                .filter(stored -> stored.key().clientId().equals(key.clientId()))
                .isPresent();
    }

    /** The key with its Client Secret: the "Edit" view. The view is audited before the secret is read. */
    public KeyWithSecret get(String accountId, String keyId, String caller) {
        StoredKey stored = find(accountId, keyId);
        audit.record(event(accountId, AuditAction.SECRET_VIEWED, keyId, caller));
        String secret = vault.read(stored.secretRef()).orElseThrow(() -> {
            if (store.find(accountId, keyId).isEmpty()) {
                return KeywardException.keyNotFound(); // deleted since it was read
            }
            return secretMissing(accountId, keyId);
        });
        log.info("secret_viewed", accountId, keyId);
        return new KeyWithSecret(stored.key(), secret);
    }

    public KeyPage list(String accountId, Integer limit, String cursor) {
        AccountIds.require(accountId);
        int pageSize = pageSize(limit);
        String after = cursor == null ? null : Cursors.decode(cursor);
        KeyStore.Page page = store.list(accountId, pageSize, after);
        return new KeyPage(page.keys(), page.lastKeyId() == null ? null : Cursors.encode(page.lastKeyId()));
    }

    /** Gives the key a new name (the "Edit" screen); its credentials do not change. */
    public ApiKey rename(String accountId, String keyId, String rawName, String caller) {
        AccountIds.require(accountId);
        String name = Names.normalize(rawName);
        if (!KeyIds.isWellFormed(keyId)) {
            throw KeywardException.keyNotFound();
        }
        ApiKey renamed = store.rename(accountId, keyId, name).orElseThrow(KeywardException::keyNotFound);
        log.info("key_renamed", accountId, keyId);
        recordQuietly(accountId, AuditAction.RENAMED, keyId, caller);
        return renamed;
    }

    /**
     * Changes what a PATCH body names: {@code name}, {@code expiresAt} (a new expiry, or null for
     * never) and {@code scopes} (replacing the key's; [] for none). A member left out
     * stays as it is. The key's credentials do not change; the authorizer applies a new expiry or
     * new scopes from the next request on.
     *
     * @param members the body's members; at least one of those three
     */
    public ApiKey update(String accountId, String keyId, Map<String, Object> members, String caller) {
        AccountIds.require(accountId);
        if (!members.containsKey("expiresAt") && !members.containsKey("scopes")) {
            Object name = members.get("name");
            return rename(accountId, keyId, name instanceof String s ? s : null, caller);
        }
        String name = null;
        if (members.containsKey("name")) {
            Object raw = members.get("name");
            name = Names.normalize(raw instanceof String s ? s : null);
        }
        Optional<Instant> expiresAt = null;
        if (members.containsKey("expiresAt")) {
            Object raw = members.get("expiresAt");
            expiresAt = raw == null ? Optional.empty() : Optional.of(Expiries.parse(raw, clock.instant()));
        }
        SortedSet<String> scopes = members.containsKey("scopes") ? Scopes.parse(members.get("scopes")) : null;
        if (!KeyIds.isWellFormed(keyId)) {
            throw KeywardException.keyNotFound();
        }
        ApiKey updated = store.update(accountId, keyId, new KeyUpdate(name, expiresAt, scopes))
                .orElseThrow(KeywardException::keyNotFound);
        log.info("key_updated", accountId, keyId);
        recordQuietly(accountId, AuditAction.UPDATED, keyId, caller);
        return updated;
    }

    /** The account's settings: defaults until an admin changes them. */
    public AccountSettings settings(String accountId) {
        AccountIds.require(accountId);
        return store.settings(accountId);
    }

    /**
     * Changes the settings the body names. {@code expiredKeyRetentionDays}: delete the account's
     * keys automatically once they have been expired that many days (1 to 3650), or null to keep
     * expired keys until an admin deletes them.
     */
    public AccountSettings updateSettings(String accountId, Map<String, Object> members, String caller) {
        AccountIds.require(accountId);
        if (!members.containsKey("expiredKeyRetentionDays")) {
            throw invalidRetention();
        }
        Object raw = members.get("expiredKeyRetentionDays");
        Integer days = null;
        if (raw != null) {
            if (!(raw instanceof Integer || raw instanceof Long) || ((Number) raw).longValue() < AccountSettings.MIN_RETENTION_DAYS
                    || ((Number) raw).longValue() > AccountSettings.MAX_RETENTION_DAYS) {
                throw invalidRetention();
            }
            days = ((Number) raw).intValue();
        }
        store.saveExpiredKeyRetention(accountId, days);
        log.info("settings_updated", accountId, null);
        return store.settings(accountId);
    }

    private static KeywardException invalidRetention() {
        return new KeywardException(ErrorCode.INVALID_RETENTION_DAYS, "expiredKeyRetentionDays must be a whole number from "
                + AccountSettings.MIN_RETENTION_DAYS + " to " + AccountSettings.MAX_RETENTION_DAYS
                + ", or null to keep expired keys until they are deleted.");
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
        Instant now = clock.instant();
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
                if (!store.deleteExpired(current.get(), now)) {
                    continue;
                }
            } catch (RuntimeException e) {
                log.warn("expired_key_not_deleted", accountId, keyId, e);
                continue;
            }
            log.info("expired_key_deleted", accountId, keyId);
            recordQuietly(accountId, AuditAction.DELETED, keyId, SYSTEM);
            destroyQuietly(accountId, keyId, null);
            deleted++;
        }
        return deleted;
    }

    /** This service's clock: what a key's {@link ApiKey#status} is computed against. */
    public Instant now() {
        return clock.instant();
    }

    /**
     * Gives the key a new Client Secret under the same Client ID. The previous secret keeps
     * working for {@code graceSeconds} (0 to {@value #MAX_GRACE_SECONDS}), then is refused. See
     * the class comment for the order of the writes.
     */
    public RotatedKey rotate(String accountId, String keyId, Long graceSeconds, String caller) {
        return rotate(accountId, keyId, graceSeconds, caller, null);
    }

    /**
     * Rotates; with an {@code idempotencyKey}, a repeat of the same request within
     * {@link IdempotencyRecord#WINDOW} answers the same new secret and rotates nothing.
     */
    public RotatedKey rotate(String accountId, String keyId, Long graceSeconds, String caller, String idempotencyKey) {
        AccountIds.require(accountId);
        if (graceSeconds == null || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
            throw new KeywardException(ErrorCode.INVALID_GRACE_PERIOD,
                    "graceSeconds must be a whole number from 0 to " + MAX_GRACE_SECONDS + ".");
        }
        if (idempotencyKey == null) {
            return rotateOnce(accountId, keyId, graceSeconds, caller, null).rotated();
        }
        if (!KeyIds.isWellFormed(keyId)) {
            throw KeywardException.keyNotFound();
        }
        Claim claim = claim(accountId, idempotencyKey, fingerprint("rotate", accountId, keyId, graceSeconds.toString()), keyId);
        if (claim.done() != null) {
            return replay(claim.done(), caller);
        }
        IdempotencyRecord record = claim.running();
        try {
            Rotation rotation = record.attempt() > 1 ? resumeRotation(record, graceSeconds, caller) : null;
            if (rotation == null) {
                rotation = rotateOnce(accountId, keyId, graceSeconds, caller, rotateRequestId(record, record.attempt()));
            }
            RotatedKey rotated = rotation.rotated();
            Instant answeredAt = clock.instant();
            completeQuietly(record, new IdempotencyRecord.Result(rotated.key().key(), rotation.secretRef(),
                    rotation.requestId(), rotated.previousValidUntil(), answeredAt));
            return new RotatedKey(new KeyWithSecret(rotated.key().key(), rotated.key().clientSecret(), answeredAt),
                    rotated.previousValidUntil());
        } catch (RuntimeException e) {
            releaseQuietly(record, e);
            throw e;
        }
    }

    private record Rotation(RotatedKey rotated, String secretRef, String requestId) {
    }

    /** Each attempt writes its own secret version; a repeat of one attempt's write is the same request. */
    private static String rotateRequestId(IdempotencyRecord record, int attempt) {
        return "rotate " + record.accountId() + " " + record.key() + " " + attempt;
    }

    /**
     * A taken-over rotation, after an attempt that failed or crashed without recording its answer:
     * the rotation an earlier attempt made, if one stored its secret. Its secret current: it was
     * done, and its answer is given again. Its secret stored but not yet current (it stopped
     * between steps 2 and 3): its step 3 is finished now. Either way nothing rotates twice, so
     * the grace the first attempt gave the previous secret is never cut short. Null when no
     * earlier attempt stored a secret: the rotation starts afresh.
     */
    private Rotation resumeRotation(IdempotencyRecord record, long graceSeconds, String caller) {
        StoredKey stored = find(record.accountId(), record.keyId());
        for (int attempt = record.attempt() - 1; attempt >= 1; attempt--) {
            String requestId = rotateRequestId(record, attempt);
            Optional<String> secret = vault.readVersion(stored.secretRef(), requestId);
            if (secret.isEmpty()) {
                continue;
            }
            String hash = Credentials.hash(secret.get());
            ClientRecord client = clients.find(stored.key().clientId()).orElseThrow(KeywardException::keyNotFound);
            if (client.secretHash().equals(hash)) {
                return new Rotation(new RotatedKey(new KeyWithSecret(stored.key(), secret.get()),
                        client.previousValidUntil()), stored.secretRef(), requestId);
            }
            if (!client.awaits(hash)) {
                throw new KeywardException(ErrorCode.ROTATION_SUPERSEDED,
                        "This key was rotated by another request after this one stopped; rotate it again with a new"
                                + " Idempotency-Key to get a secret.");
            }
            if (client.rotationInProgress(clock.instant())) {
                throw rotationInProgress();
            }
            Instant previousValidUntil = graceEnd(graceSeconds);
            if (!write(client, client.completeRotation(hash, previousValidUntil))) {
                throw clients.find(client.clientId()).isEmpty() ? KeywardException.keyNotFound() : rotationInProgress();
            }
            log.info("key_rotated", record.accountId(), record.keyId());
            recordQuietly(record.accountId(), AuditAction.ROTATED, record.keyId(), caller);
            return new Rotation(new RotatedKey(new KeyWithSecret(stored.key(), secret.get()), previousValidUntil),
                    stored.secretRef(), requestId);
        }
        return null;
    }

    /**
     * The end of a grace period that starts now, rounded up to a whole second: never earlier than
     * asked. Null for a grace of 0: the previous secret is refused at once.
     */
    private Instant graceEnd(long graceSeconds) {
        if (graceSeconds == 0) {
            return null;
        }
        Instant end = clock.instant().plusSeconds(graceSeconds);
        Instant whole = end.truncatedTo(ChronoUnit.SECONDS);
        return whole.equals(end) ? end : whole.plusSeconds(1);
    }

    private Rotation rotateOnce(String accountId, String keyId, long graceSeconds, String caller, String requestId) {
        StoredKey stored = find(accountId, keyId);
        String clientId = stored.key().clientId();
        ClientRecord before = clients.find(clientId).orElseThrow(KeywardException::keyNotFound);
        if (before.rotationInProgress(clock.instant())) {
            throw rotationInProgress();
        }
        String secret = Credentials.newClientSecret();
        String hash = Credentials.hash(secret);
        String writeId = requestId != null ? requestId : "rotate " + clientId + " " + hash;
        return new Rotation(rotateTo(stored, before, secret, graceSeconds, caller, writeId), stored.secretRef(), writeId);
    }

    /** Steps 1 to 3 of a rotation (see the class comment) to {@code secret}. */
    private RotatedKey rotateTo(StoredKey stored, ClientRecord before, String secret, long graceSeconds, String caller,
                                String requestId) {
        String accountId = stored.key().accountId();
        String keyId = stored.key().id();
        String clientId = before.clientId();
        String hash = Credentials.hash(secret);
        ClientRecord accepting = before.beginRotation(hash, clock.instant().plus(ROTATION_LEASE));
        if (!write(before, accepting)) {
            throw clients.find(clientId).isEmpty() ? KeywardException.keyNotFound() : rotationInProgress();
        }
        try {
            vault.replace(stored.secretRef(), clientId, secret, requestId);
        } catch (OutcomeUnknownException e) {
            if (!secret.equals(vault.read(stored.secretRef()).orElse(null))) {
                releaseQuietly(accepting, e);
                throw e;
            }
        } catch (RuntimeException e) {
            releaseQuietly(accepting, e);
            throw e;
        }
        Instant previousValidUntil = graceEnd(graceSeconds);
        boolean completed;
        try {
            completed = write(accepting, accepting.completeRotation(hash, previousValidUntil));
        } catch (RuntimeException e) {
            releaseQuietly(accepting, e);
            throw e;
        }
        if (!completed) {
            // deleted meanwhile, or our lease ran out and another rotation took over
            throw clients.find(clientId).isEmpty() ? KeywardException.keyNotFound() : rotationInProgress();
        }
        log.info("key_rotated", accountId, keyId);
        recordQuietly(accountId, AuditAction.ROTATED, keyId, caller);
        return new RotatedKey(new KeyWithSecret(stored.key(), secret), previousValidUntil);
    }

    /**
     * Writes {@code next} over {@code current} (its revision). A refused condition or an
     * unknown outcome is read back: if the stored client is in {@code next}'s state, the write
     * was applied (by an attempt whose answer was lost).
     *
     * @return whether the client is now in {@code next}'s state
     */
    private boolean write(ClientRecord current, ClientRecord next) {
        try {
            if (clients.replace(current, next)) {
                return true;
            }
        } catch (OutcomeUnknownException e) {
            if (isStateOf(next)) {
                return true;
            }
            throw e;
        }
        return isStateOf(next);
    }

    private boolean isStateOf(ClientRecord written) {
        return clients.find(written.clientId()).filter(current -> current.isStateOf(written)).isPresent();
    }

    /** Deletes the key for good: its Client ID is refused from the moment this returns. */
    public void delete(String accountId, String keyId, String caller) {
        StoredKey found = find(accountId, keyId);
        boolean removed;
        try {
            removed = store.delete(found, clock.instant());
        } catch (OutcomeUnknownException e) {
            if (store.find(accountId, keyId).isPresent()) {
                throw e;
            }
            removed = true; // gone: the transaction was applied after all (or another delete's was)
        }
        if (!removed) {
            // two deletes of one key: the other one removed it, and answers 204
            throw KeywardException.keyNotFound();
        }
        log.info("key_deleted", accountId, keyId);
        recordQuietly(accountId, AuditAction.DELETED, keyId, caller);
        destroyQuietly(accountId, keyId, null);
    }

    /** The account's audit trail, newest first. */
    public AuditPage audit(String accountId, Integer limit, String cursor) {
        AccountIds.require(accountId);
        int pageSize = pageSize(limit);
        String after = cursor == null ? null : Cursors.decodeAuditId(cursor);
        AuditTrail.Page page = audit.list(accountId, pageSize, after);
        return new AuditPage(page.events(), page.lastId() == null ? null : Cursors.encode(page.lastId()));
    }

    private static int pageSize(Integer limit) {
        int pageSize = limit == null ? DEFAULT_PAGE_SIZE : limit;
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new KeywardException(ErrorCode.INVALID_LIMIT,
                    "limit must be a whole number from 1 to " + MAX_PAGE_SIZE + ".");
        }
        return pageSize;
    }

    private StoredKey find(String accountId, String keyId) {
        AccountIds.require(accountId);
        if (!KeyIds.isWellFormed(keyId)) {
            throw KeywardException.keyNotFound();
        }
        return store.find(accountId, keyId).orElseThrow(KeywardException::keyNotFound);
    }

    private AuditEvent event(String accountId, AuditAction action, String keyId, String caller) {
        return new AuditEvent(accountId, auditIds.get(), action, keyId,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), caller);
    }

    private void recordQuietly(String accountId, AuditAction action, String keyId, String caller) {
        try {
            audit.record(event(accountId, action, keyId, caller));
        } catch (RuntimeException e) {
            log.warn("audit_not_recorded", accountId, keyId, e);
        }
    }

    /** Frees a rotation's lease after the vault failed; if that fails too, the lease simply runs out. */
    private void releaseQuietly(ClientRecord accepting, RuntimeException primary) {
        try {
            clients.replace(accepting, accepting.releaseRotation());
        } catch (RuntimeException e) {
            if (e != primary) {
                primary.addSuppressed(e);
            }
            log.warn("rotation_lease_kept", accepting.accountId(), accepting.keyId(), e);
        }
    }

    /** Destroys a secret that no key refers to any more; what fails here stays noted for the sweep. */
    private void destroyQuietly(String accountId, String keyId, RuntimeException primary) {
        try {
            vault.destroy(accountId, keyId);
            store.forgetSecret(accountId, keyId);
        } catch (RuntimeException e) {
            if (primary != null && e != primary) {
                primary.addSuppressed(e);
            }
            log.warn("orphan_secret_left", accountId, keyId, e);
        }
    }

    private KeywardException secretMissing(String accountId, String keyId) {
        log.warn("secret_missing", accountId, keyId, null);
        return new KeywardException(ErrorCode.INTERNAL, "The key's secret could not be read.");
    }

    /** Either a stored answer to replay, or the record this request now runs under. */
    private record Claim(IdempotencyRecord done, IdempotencyRecord running) {
    }

    /**
     * Starts a request under {@code idempotencyKey}: a new record (reserving {@code keyId}), a
     * finished one to replay, or an unfinished one whose lease ran out (a failed or crashed
     * attempt), taken over with the same reserved key id.
     */
    private Claim claim(String accountId, String idempotencyKey, String fingerprint, String keyId) {
        if (idempotency == null) {
            throw new IllegalStateException("This service has no idempotency store");
        }
        IdempotencyKeys.require(idempotencyKey);
        Instant now = clock.instant();
        IdempotencyRecord fresh = new IdempotencyRecord(accountId, idempotencyKey, fingerprint, keyId, 1,
                UUID.randomUUID().toString(), now.plus(IdempotencyRecord.LEASE), now.plus(IdempotencyRecord.WINDOW), null);
        if (claimed(fresh, () -> idempotency.create(fresh, now))) {
            return new Claim(null, fresh);
        }
        IdempotencyRecord existing = idempotency.find(accountId, idempotencyKey)
                .filter(r -> !r.expiredAt(now))
                .orElseThrow(() -> idempotencyInProgress(1)); // expired meanwhile: the retry will find it free
        if (!existing.fingerprint().equals(fingerprint)) {
            throw new KeywardException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was used with a different request; use a new key for a new request.");
        }
        if (existing.result() != null) {
            return new Claim(existing, null);
        }
        if (existing.leaseUntil().isAfter(now)) {
            throw idempotencyInProgress(Duration.between(now, existing.leaseUntil()).toSeconds() + 1);
        }
        IdempotencyRecord next = existing.takenOver(UUID.randomUUID().toString(), now.plus(IdempotencyRecord.LEASE));
        if (!claimed(next, () -> idempotency.takeOver(existing, next, now))) {
            throw idempotencyInProgress(IdempotencyRecord.LEASE.toSeconds());
        }
        return new Claim(null, next);
    }

    /**
     * Writes a claim. Refused or unknown, it is read back: the claim is ours if the stored record
     * is {@code claim} (the SDK's retry of our own write was refused by its condition, or the
     * answer was lost), never another request's.
     */
    private boolean claimed(IdempotencyRecord claim, java.util.function.BooleanSupplier write) {
        try {
            if (write.getAsBoolean()) {
                return true;
            }
        } catch (OutcomeUnknownException e) {
            if (isOurs(claim)) {
                return true;
            }
            throw e;
        }
        return isOurs(claim);
    }

    private boolean isOurs(IdempotencyRecord claim) {
        return idempotency.find(claim.accountId(), claim.key()).filter(stored -> stored.heldBy(claim)).isPresent();
    }

    /**
     * The stored answer again, member for member: the key as it was, as of when it was answered,
     * and the secret read back from the version it wrote. Showing the secret again is a view of
     * it, audited before it is read, as the "Edit" view is. A key deleted since answers 404.
     */
    private RotatedKey replay(IdempotencyRecord done, String caller) {
        IdempotencyRecord.Result result = done.result();
        audit.record(event(done.accountId(), AuditAction.SECRET_VIEWED, result.key().id(), caller));
        String secret = vault.readVersion(result.secretRef(), result.secretRequestId())
                .orElseThrow(KeywardException::keyNotFound); // the key was deleted since
        log.info("secret_viewed", done.accountId(), result.key().id());
        return new RotatedKey(new KeyWithSecret(result.key(), secret, result.answeredAt()), result.previousValidUntil());
    }

    private void completeQuietly(IdempotencyRecord record, IdempotencyRecord.Result result) {
        try {
            idempotency.complete(record, result);
        } catch (RuntimeException e) {
            // the request succeeded; a retry after the lease takes over and finds its work done
            log.warn("idempotency_not_recorded", record.accountId(), record.keyId(), e);
        }
    }

    private void releaseQuietly(IdempotencyRecord record, RuntimeException primary) {
        try {
            idempotency.release(record);
        } catch (RuntimeException e) {
            if (e != primary) {
                primary.addSuppressed(e);
            }
            log.warn("idempotency_lease_kept", record.accountId(), record.keyId(), e);
        }
    }

    private static String fingerprint(String... parts) {
        return Credentials.hash(String.join("\n", parts));
    }

    private static KeywardException idempotencyInProgress(long retryAfterSeconds) {
        return new KeywardException(ErrorCode.IDEMPOTENCY_IN_PROGRESS,
                "A request with this Idempotency-Key is still in progress; retry after it finished.", null,
                (int) Math.max(1, retryAfterSeconds));
    }

    private static KeywardException keyLimitReached(int limit) {
        return new KeywardException(ErrorCode.KEY_LIMIT_REACHED,
                "This account already has " + limit + " API keys, the most it may have. Delete one to create another.");
    }

    private static KeywardException rotationInProgress() {
        return new KeywardException(ErrorCode.ROTATION_IN_PROGRESS,
                "Another rotation of this key is in progress; try again in a minute.", null,
                (int) ROTATION_LEASE.toSeconds());
    }

    /**
     * Destroys the secrets that belong to no key: what a create or a delete that failed half-way
     * left noted. A note younger than {@code minAge} is left alone, since a create still in flight
     * notes its secret before it saves its key. Each note is handled on its own: one that fails
     * is counted, logged and kept for the next sweep. A noted key that exists but whose secret
     * is gone is reported as {@code secret_missing} and stays noted, so it is reported again
     * until someone repairs it.
     */
    public SweepReport sweepOrphanSecrets(Duration minAge) {
        int destroyed = 0;
        int failed = 0;
        int secretsMissing = 0;
        for (KeyStore.SecretNote note : store.secretNotes(clock.instant().minus(minAge))) {
            try {
                Optional<StoredKey> key = store.find(note.accountId(), note.keyId());
                if (key.isEmpty()) {
                    // a create retried since may have noted, stored and saved the secret anew: only
                    // while the note is the one listed, and no create can note it again, is it ours
                    if (!store.claimNote(note, clock.instant(), clock.instant().plus(SWEEP_CLAIM))) {
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
}
