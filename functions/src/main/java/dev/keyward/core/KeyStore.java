package dev.keyward.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where key metadata and the Client ID lookup live. */
public interface KeyStore {

    /**
     * Saves the key and its client lookup together, counting it against the account's limit,
     * and forgets the key's secret note (see {@link #noteSecret}) in the same step. Safe to
     * retry: a repeat of an insert that was applied does not apply it twice.
     *
     * @return what happened; {@link Insert#ALREADY_SAVED} when a key with this id exists already,
     *         most likely saved by an earlier attempt of the same insert whose answer was lost
     * @throws OutcomeUnknownException when it cannot be told whether the key was saved
     * @throws DependencyUnavailableException when it was not saved and a retry may succeed
     * @param created the key's {@link EventType#KEY_CREATED} event, written in the same step: it exists exactly
     *                when the key was saved
     */
    Insert insert(ApiKey key, String secretHash, String secretRef, int limit, ChangeEvent created);

    /** How an {@link #insert} ended. */
    enum Insert { SAVED, ALREADY_SAVED, LIMIT_REACHED }

    /** The key, read strongly consistent, or empty if it does not exist in this account. */
    Optional<StoredKey> find(String accountId, String keyId);

    /**
     * Gives {@code key} (as just read) a new name, and writes {@code event} in the same step;
     * nothing else changes.
     *
     * @return the renamed key, or empty if it no longer exists
     */
    Optional<ApiKey> rename(ApiKey key, String name, ChangeEvent event);

    /**
     * Applies the update to the key and, for its expiry and scopes, to its client lookup, in one
     * step, together with {@code event}: the authorizer reads them there.
     *
     * @param key the key as just read: its Client ID names the client lookup changed with it
     * @return the updated key, or empty if it no longer exists
     */
    Optional<ApiKey> update(ApiKey key, KeyUpdate update, ChangeEvent event);

    /** How many keys the account holds now. */
    int count(String accountId);

    /** Up to {@code limit} keys created before {@code afterKeyId} (all when null), newest first. */
    Page list(String accountId, int limit, String afterKeyId);

    /**
     * Removes the key and its client lookup in one step, and notes its secret for destruction in
     * the same step, with {@code events} (its deletion, and for a leak the leak's event): once this
     * returns, the Client ID is refused.
     *
     * An earlier attempt of this call whose answer was lost counts as this call's.
     *
     * @return false when another delete removed the key first
     * @throws OutcomeUnknownException when it cannot be told whether the key was removed
     */
    boolean delete(StoredKey key, Instant at, List<ChangeEvent> events);

    /**
     * Notes that the key's secret exists (or is about to) without the key: before a create
     * stores the secret, and, through {@link #delete}, when a key is deleted. A note outlives its
     * purpose only when a step after it failed; {@link #secretNotes} finds those.
     *
     * @throws DependencyUnavailableException when the sweep holds the note ({@link #claimNote}):
     *                                        the request is answered 503, and a retry notes anew
     */
    void noteSecret(String accountId, String keyId, Instant at);

    /**
     * Claims a note for the sweep, which is about to destroy its secret: only while the note is
     * still the one listed ({@code note.at()} unchanged) and no other sweep holds it at
     * {@code now}. Until {@code until}, {@link #noteSecret} of that key is refused, so that a
     * create retried meanwhile cannot store a secret the sweep then destroys.
     *
     * @return false when the note changed, is gone or is held
     */
    boolean claimNote(SecretNote note, Instant now, Instant until);

    /** Drops the note once the secret is gone, or its key has been saved. */
    void forgetSecret(String accountId, String keyId);

    /** The notes written before {@code before}. */
    List<SecretNote> secretNotes(Instant before);

    /**
     * Removes the key as {@link #delete} does, but only while its expiry is still the one
     * {@code key} holds: an admin who extended or removed it meanwhile keeps the key.
     *
     * @return whether it was removed; false when it was gone already or its expiry changed
     */
    boolean deleteExpired(StoredKey key, Instant at, ChangeEvent event);

    /**
     * The keys whose expiry is before {@code expiredBefore}, in every account, from an index that
     * may lag behind the keys by a moment: read each key again before acting on it.
     */
    List<ExpiredKey> expiredKeys(Instant expiredBefore);

    /** The account's settings; {@link AccountSettings#DEFAULTS} when it never saved any. */
    AccountSettings settings(String accountId);

    /**
     * Sets the settings {@code change} names (removing those it sets to null, and requireScopes
     * when false), with {@code event} in the same step; the account's other settings stay.
     */
    void saveSettings(String accountId, SettingsChange change, ChangeEvent event);

    /** @param lastKeyId the id to continue after, or null when no key follows */
    record Page(List<ApiKey> keys, String lastKeyId) {
    }

    /** A secret that may have no key: see {@link #noteSecret}. */
    record SecretNote(String accountId, String keyId, Instant at) {
    }
}
