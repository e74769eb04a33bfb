package dev.keyward.core;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Creates API keys, optionally under an Idempotency-Key ({@link IdempotentRequests}).
 *
 * <p>Ordering rules (see {@link KeyPorts} for the failure model), step by step, and what a crash
 * or an unknown outcome at each step leaves:
 * <ol>
 *   <li>read the account's settings (its {@link KeyPolicy}) and key count: nothing written yet;</li>
 *   <li>note the secret ({@link KeyStore#noteSecret}): a note without a secret; the sweep drops it;</li>
 *   <li>store the secret in the vault: a secret with its note and no key; the sweep destroys
 *       it. A repeated store of the same key keeps the secret an earlier attempt stored;</li>
 *   <li>save key, client and count, write its {@code key.created} event and drop the note in one transaction. Unknown outcome: the
 *       key is read back; if it exists the answer is 201, and its secret is never destroyed.
 *       If it does not, the secret stays noted (the transaction might still be applied, and
 *       then it drops the note and the key has its secret) and the answer is 503; the sweep
 *       destroys the secret once the note is old enough that no transaction can still land.
 *       Refused (limit reached, conflict, throttling): the secret is destroyed and the note
 *       dropped before the error is answered; if that fails, the note remains for the sweep.</li>
 * </ol>
 *
 * <p>With an Idempotency-Key, the key id is reserved by the claim before anything is written, so
 * a repeat of a request that failed half-way creates the one key it would have created; a
 * taken-over attempt first looks for the key a crashed one saved. The range of the expiry and
 * the account's key policy are checked only when the key is made, after the claim: a retry close
 * to or past the expiry, or after the policy changed, replays its stored answer instead of
 * being refused.
 */
public final class KeyCreation {
    private final KeyPorts ports;
    private final KeyStore store;
    private final SecretVault vault;
    private final EventLog log;
    private final IdempotentRequests idempotent;

    public KeyCreation(KeyPorts ports) {
        this.ports = ports;
        this.store = ports.store();
        this.vault = ports.vault();
        this.log = ports.log();
        this.idempotent = new IdempotentRequests(ports);
    }

    /** Creates a key (no Idempotency-Key). */
    public KeyWithSecret create(String accountId, NewKey request, String createdBy) {
        return create(accountId, request, createdBy, null);
    }

    /**
     * Creates a key. With an {@code idempotencyKey}, a repeat of the same request within
     * {@link IdempotencyRecord#WINDOW} answers the same key and secret and creates nothing.
     *
     * @param idempotencyKey the request's Idempotency-Key, or null for none
     */
    public KeyWithSecret create(String accountId, NewKey request, String createdBy, String idempotencyKey) {
        AccountIds.require(accountId);
        String name = request.name();
        Instant expiresAt = request.expiresAt();
        SortedSet<String> scopes = request.scopes();
        if (idempotencyKey == null) {
            requireAllowed(accountId, request);
            String keyId = ports.keyIds().get();
            return createKey(accountId, keyId, request, createdBy, keyId).withSecret(null);
        }
        String fingerprint = expiresAt == null && scopes.isEmpty() && request.networks().isAny()
                ? IdempotentRequests.fingerprint("create", accountId, name)
                : request.networks().isAny()
                ? IdempotentRequests.fingerprint("create", accountId, name, String.valueOf(expiresAt),
                        String.join(" ", scopes))
                : IdempotentRequests.fingerprint("create", accountId, name, String.valueOf(expiresAt),
                        String.join(" ", scopes), String.join(" ", request.networks().texts()));
        IdempotentRequests.Claim claim = idempotent.claim(accountId, idempotencyKey, fingerprint, ports.keyIds().get());
        if (claim.done() != null) {
            return idempotent.replay(claim.done(), createdBy).key();
        }
        IdempotencyRecord record = claim.running();
        String requestId = "create " + accountId + " " + idempotencyKey;
        try {
            Created created = record.attempt() > 1 ? resume(record, name, requestId) : null;
            if (created == null) {
                requireAllowed(accountId, request);
                created = createKey(accountId, record.keyId(), request, createdBy, requestId);
            }
            Instant answeredAt = ports.clock().instant();
            idempotent.complete(record, new IdempotencyRecord.Result(created.key(), created.secretRef(), requestId,
                    null, answeredAt));
            return created.withSecret(answeredAt);
        } catch (RuntimeException e) {
            idempotent.release(record, e);
            throw e;
        }
    }

    /**
     * The expiry's range, then the account's key policy ({@link KeyPolicy}): checked when the key
     * is made, never for a replay, so a retry of a create answered before the policy changed
     * replays its answer, and a retry of one the policy refused is refused again, or made if the
     * policy has changed since.
     */
    private void requireAllowed(String accountId, NewKey request) {
        Instant now = ports.clock().instant();
        Expiries.requireInRange(request.expiresAt(), now);
        KeyPolicy.requireAllowed(store.settings(accountId), request.expiresAt(), request.scopes(), now);
    }

    /**
     * A taken-over create whose reserved key an earlier attempt saved: the answer that attempt
     * gave (the key as created: the request's name, never used yet), or null when it saved none.
     */
    private Created resume(IdempotencyRecord record, String name, String requestId) {
        Optional<StoredKey> saved = store.find(record.accountId(), record.keyId());
        if (saved.isEmpty()) {
            return null;
        }
        String secret = vault.readVersion(saved.get().secretRef(), requestId)
                .or(() -> vault.read(saved.get().secretRef()))
                .orElseThrow(() -> ports.secretMissing(record.accountId(), record.keyId()));
        ApiKey stored = saved.get().key();
        ApiKey asCreated = new ApiKey(stored.accountId(), stored.id(), name, stored.clientId(), stored.createdAt(),
                stored.createdBy(), null, stored.expiresAt(), stored.scopes()).withNetworks(stored.networks());
        return new Created(asCreated, saved.get().secretRef(), secret);
    }

    private record Created(ApiKey key, String secretRef, String secret) {
        KeyWithSecret withSecret(Instant asOf) {
            return new KeyWithSecret(key, secret, asOf);
        }
    }

    /** Steps 1 to 4 (see the class comment) under a fresh or reserved key id. */
    private Created createKey(String accountId, String keyId, NewKey request, String createdBy, String requestId) {
        int keyLimit = ports.keyLimit();
        if (store.count(accountId) >= keyLimit) {
            throw keyLimitReached(keyLimit);
        }
        Instant now = ports.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        store.noteSecret(accountId, keyId, now);
        SecretVault.StoredSecret secret;
        try {
            secret = vault.store(accountId, keyId, Credentials.newClientId(), Credentials.newClientSecret(), requestId);
        } catch (OutcomeUnknownException e) {
            log.warn("create_outcome_unknown", accountId, keyId, e);
            throw e; // the secret may exist; it stays noted for the sweep
        } catch (RuntimeException e) {
            ports.destroyOrphanSecret(accountId, keyId, e);
            throw e;
        }
        ApiKey key = new ApiKey(accountId, keyId, request.name(), secret.clientId(), now, createdBy, null,
                request.expiresAt(), request.scopes()).withNetworks(request.networks());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("expiresAt", ChangeEvent.time(key.expiresAt()));
        data.put("scopes", List.copyOf(key.scopes()));
        data.put("allowedCidrs", key.networks().texts());
        ChangeEvent created = ports.events().key(EventType.KEY_CREATED, key, ChangeEvent.Actor.admin(createdBy), data);
        KeyStore.Insert outcome;
        try {
            outcome = store.insert(key, Credentials.hash(secret.clientSecret()), secret.ref(), keyLimit, created);
        } catch (DependencyUnavailableException e) {
            if (saved(key)) {
                outcome = KeyStore.Insert.ALREADY_SAVED;
            } else if (e instanceof OutcomeUnknownException) {
                // it may still be applied: destroying the secret now could leave a key without one
                log.warn("create_outcome_unknown", accountId, keyId, e);
                throw e;
            } else {
                ports.destroyOrphanSecret(accountId, keyId, e);
                throw e;
            }
        } catch (RuntimeException e) {
            ports.destroyOrphanSecret(accountId, keyId, e);
            throw e;
        }
        if (outcome != KeyStore.Insert.SAVED && !saved(key)) {
            KeywardException refused = outcome == KeyStore.Insert.LIMIT_REACHED ? keyLimitReached(keyLimit)
                    : new OutcomeUnknownException("DynamoDB", null);
            ports.destroyOrphanSecret(accountId, keyId, refused);
            throw refused;
        }
        log.info("key_created", accountId, keyId);
        return new Created(key, secret.ref(), secret.clientSecret());
    }

    /** Whether {@code key} is in the store as written (read strongly consistent). */
    private boolean saved(ApiKey key) {
        return store.find(key.accountId(), key.id())
                .filter(stored -> stored.key().clientId().equals(key.clientId()))
                .isPresent();
    }

    private static KeywardException keyLimitReached(int limit) {
        return new KeywardException(ErrorCode.KEY_LIMIT_REACHED,
                "This account already has " + limit + " API keys, the most it may have. Delete one to create another.");
    }
}
