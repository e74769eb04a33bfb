package dev.keyward.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;

/**
 * What verifying a Client ID needs: the key it belongs to and the hashes of the secrets it accepts.
 *
 * <p>{@code secretHash} is the secret Secrets Manager holds (or is about to hold). {@code others}
 * are secrets still accepted besides it: the previous one for its grace period, and any secret of
 * a rotation that has not finished, without an end (it may already be in Secrets Manager, where an
 * integration can fetch it). {@code revision} grows with every change and guards against lost
 * updates; {@code rotationLeaseUntil} marks a rotation in flight.
 *
 * <p>{@code expiresAt}, {@code scopes}, {@code enabled} and {@code networks} are the key's, copied
 * here so that the authorizer needs this one read; they change together with the key's (see
 * {@link KeyStore#update}).
 *
 * @param rotationLeaseUntil when the rotation in flight is presumed dead, or null when none runs
 * @param expiresAt          from when on the key is refused, or null if never
 * @param scopes             the key's scopes, empty for none
 * @param enabled            false while the key is suspended
 * @param networks           the addresses the key may be used from
 */
public record ClientRecord(String clientId, String accountId, String keyId, String secretHash,
                           List<OtherSecret> others, long revision, Instant rotationLeaseUntil,
                           Instant expiresAt, SortedSet<String> scopes, boolean enabled, Networks networks) {

    public ClientRecord {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(secretHash, "secretHash");
        others = List.copyOf(others);
        scopes = scopes == null ? Scopes.NONE : ApiKey.copy(scopes);
        networks = networks == null ? Networks.ANY : networks;
    }

    /** A client of an enabled key usable from any address. */
    public ClientRecord(String clientId, String accountId, String keyId, String secretHash,
                        List<OtherSecret> others, long revision, Instant rotationLeaseUntil,
                        Instant expiresAt, SortedSet<String> scopes) {
        this(clientId, accountId, keyId, secretHash, others, revision, rotationLeaseUntil, expiresAt, scopes, true,
                Networks.ANY);
    }

    /** A client of a key that never expires and has no scopes. */
    public ClientRecord(String clientId, String accountId, String keyId, String secretHash,
                        List<OtherSecret> others, long revision, Instant rotationLeaseUntil) {
        this(clientId, accountId, keyId, secretHash, others, revision, rotationLeaseUntil, null, null);
    }

    /** True from the first instant of {@code expiresAt} on. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /**
     * A secret accepted besides the current one.
     *
     * @param validUntil the end of its grace period, or null while the rotation that made it is unfinished
     */
    public record OtherSecret(String hash, Instant validUntil) {
        public OtherSecret {
            Objects.requireNonNull(hash, "hash");
        }

        boolean acceptedAt(Instant now) {
            return validUntil == null || now.isBefore(validUntil);
        }
    }

    /**
     * True when {@code presentedHash} is the current secret's hash or that of another secret
     * still accepted at {@code now}. Every candidate is compared in constant time, and all of
     * them are compared, so the answer's timing says nothing about which one matched.
     */
    public boolean accepts(String presentedHash, Instant now) {
        byte[] presented = presentedHash.getBytes(StandardCharsets.US_ASCII);
        boolean match = MessageDigest.isEqual(presented, secretHash.getBytes(StandardCharsets.US_ASCII));
        for (OtherSecret other : others) {
            boolean equal = MessageDigest.isEqual(presented, other.hash().getBytes(StandardCharsets.US_ASCII));
            match |= equal && other.acceptedAt(now);
        }
        return match;
    }

    /**
     * Whether this record is {@code written}'s state: same revision, same current secret, same
     * other secrets. How a write whose answer was lost is recognised as applied (the revision
     * alone could have been reached by another writer).
     */
    boolean isStateOf(ClientRecord written) {
        return revision == written.revision && secretHash.equals(written.secretHash)
                && java.util.Set.copyOf(others.stream().map(OtherSecret::hash).toList())
                        .equals(java.util.Set.copyOf(written.others.stream().map(OtherSecret::hash).toList()));
    }

    /**
     * Whether {@code hash} is the secret of a rotation that stopped after step 2: accepted
     * without an end, not yet current.
     */
    boolean awaits(String hash) {
        return others.stream().anyMatch(other -> other.validUntil() == null && other.hash().equals(hash));
    }

    /**
     * Until when the secrets the last completed rotation put in grace are accepted (they all share
     * one end); null when none is: a grace of 0, or no rotation yet.
     */
    Instant previousValidUntil() {
        Instant latest = null;
        for (OtherSecret other : others) {
            if (other.validUntil() != null && (latest == null || other.validUntil().isAfter(latest))) {
                latest = other.validUntil();
            }
        }
        return latest;
    }

    public boolean rotationInProgress(Instant now) {
        return rotationLeaseUntil != null && now.isBefore(rotationLeaseUntil);
    }

    /** Step 1 of a rotation: the new secret is accepted too, before anyone can fetch it. */
    ClientRecord beginRotation(String newHash, Instant leaseUntil) {
        List<OtherSecret> next = new ArrayList<>(others);
        next.add(new OtherSecret(newHash, null));
        return new ClientRecord(clientId, accountId, keyId, secretHash, next, revision + 1, leaseUntil, expiresAt, scopes,
                enabled, networks);
    }

    /**
     * Step 3 of a rotation, once the vault holds the new secret: it becomes current; the old
     * current secret and any secret of an unfinished rotation stay accepted until
     * {@code previousValidUntil} (not at all when null); secrets that were already in their grace
     * period are dropped, so only the latest previous secret survives a second rotation.
     */
    ClientRecord completeRotation(String newHash, Instant previousValidUntil) {
        List<OtherSecret> next = new ArrayList<>();
        if (previousValidUntil != null) {
            next.add(new OtherSecret(secretHash, previousValidUntil));
            for (OtherSecret other : others) {
                if (other.validUntil() == null && !other.hash().equals(newHash)) {
                    next.add(new OtherSecret(other.hash(), previousValidUntil));
                }
            }
        }
        return new ClientRecord(clientId, accountId, keyId, newHash, next, revision + 1, null, expiresAt, scopes,
                enabled, networks);
    }

    /**
     * After a rotation failed to reach the vault: frees the lease for a retry. The new secret
     * stays accepted, because a vault call that timed out may still have stored it.
     */
    ClientRecord releaseRotation() {
        return new ClientRecord(clientId, accountId, keyId, secretHash, others, revision + 1, null, expiresAt, scopes,
                enabled, networks);
    }
}
