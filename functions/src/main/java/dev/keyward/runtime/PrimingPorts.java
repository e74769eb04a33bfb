package dev.keyward.runtime;

import dev.keyward.core.ApiKey;
import dev.keyward.core.Credentials;
import dev.keyward.core.EventLog;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyPriming;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.Networks;
import dev.keyward.core.SecretVault;
import dev.keyward.core.StoredKey;
import dev.keyward.core.UsageRecorder;
import dev.keyward.memory.MemoryAuditTrail;
import dev.keyward.memory.MemoryKeyStore;
import dev.keyward.memory.MemoryVault;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

/**
 * For priming the paths AWS cannot walk without data: the key use cases and a verifier over the
 * ports in memory ({@link dev.keyward.memory}), holding one key that exists only here, so a
 * handler's found-key path (the key's JSON, the secret, an Allow policy) runs before the
 * snapshot. Nothing here reaches AWS.
 */
final class PrimingPorts {
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00.000Z");

    private final String clientId = Credentials.newClientId();
    private final String secret = Credentials.newClientSecret();
    /** Limited to every address, so that the check of a key's networks is walked too. */
    private final ApiKey key = new ApiKey(KeyPriming.PRIMING_ACCOUNT, KeyPriming.PRIMING_KEY, "Priming", clientId,
            CREATED, "priming", CREATED).withNetworks(Networks.of(java.util.List.of("0.0.0.0/0", "::/0")));
    private final MemoryKeyStore store = new KeyKept();
    private final MemoryVault vault = new MemoryVault();

    PrimingPorts() {
        save();
    }

    private void save() {
        SecretVault.StoredSecret stored = vault.store(key.accountId(), key.id(), clientId, secret, "priming");
        store.insert(key, Credentials.hash(secret), stored.ref(), KeyPorts.DEFAULT_KEY_LIMIT, null);
    }

    /** The key use cases' ports, holding the one key. */
    KeyPorts keyPorts() {
        return new KeyPorts(store, store, vault, new MemoryAuditTrail(), Clock.systemUTC(), KeyPorts.DEFAULT_KEY_LIMIT,
                EventLog.NONE);
    }

    /** A verifier that allows the credentials {@link #allowedAuthorization} names. */
    KeyVerifier verifier() {
        return new KeyVerifier(store, new UsageRecorder(store, EventLog.NONE), Clock.systemUTC(), EventLog.NONE);
    }

    /** An Authorization header the verifier over these ports allows. */
    String allowedAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** The delete function's priming removes the key in each round: it is saved again at once, so every round finds it. */
    private final class KeyKept extends MemoryKeyStore {
        @Override
        public synchronized boolean delete(StoredKey stored, Instant at, java.util.List<dev.keyward.core.ChangeEvent> events) {
            boolean removed = super.delete(stored, at, events);
            save();
            return removed;
        }
    }
}
