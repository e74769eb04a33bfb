package dev.keyward.runtime;

import dev.keyward.core.AccountSettings;
import dev.keyward.core.ApiKey;
import dev.keyward.core.ChangeEvent;
import dev.keyward.core.AuditTrail;
import dev.keyward.core.ClientRecord;
import dev.keyward.core.ClientStore;
import dev.keyward.core.Credentials;
import dev.keyward.core.DailyUsage;
import dev.keyward.core.EventLog;
import dev.keyward.core.ExpiredKey;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyPriming;
import dev.keyward.core.KeyStore;
import dev.keyward.core.KeyUpdate;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.SecretVault;
import dev.keyward.core.StoredKey;
import dev.keyward.core.UsageRecorder;
import dev.keyward.core.UsageStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * For priming the paths AWS cannot walk without data: key use cases and a verifier whose ports answer
 * from memory for one key that exists only here, so a handler's found-key path (the key's JSON,
 * the secret, an Allow policy) runs before the snapshot. Nothing here reaches AWS.
 */
public final class PrimingPorts implements KeyStore, ClientStore, SecretVault, UsageStore {
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00.000Z");

    private final String clientId = Credentials.newClientId();
    private final String secret = Credentials.newClientSecret();
    private final ApiKey key = new ApiKey(KeyPriming.PRIMING_ACCOUNT, KeyPriming.PRIMING_KEY, "Priming", clientId,
            CREATED, "priming", CREATED);

    private PrimingPorts() {
    }

    /** The key use cases' ports, in memory, holding one key. */
    public static KeyPorts keyPorts() {
        PrimingPorts ports = new PrimingPorts();
        return new KeyPorts(ports, ports, ports, new NoAudit(), Clock.systemUTC(), 100, EventLog.NONE);
    }

    /** A verifier that allows the credentials {@link #allowedAuthorization} names. */
    public static KeyVerifier verifier(PrimingPorts ports) {
        return new KeyVerifier(ports, new UsageRecorder(ports, EventLog.NONE), Clock.systemUTC(), EventLog.NONE);
    }

    public static PrimingPorts ports() {
        return new PrimingPorts();
    }

    /** An Authorization header the verifier over these ports allows. */
    public String allowedAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Insert insert(ApiKey key, String secretHash, String secretRef, int limit, ChangeEvent created) {
        return Insert.SAVED;
    }

    @Override
    public Optional<StoredKey> find(String accountId, String keyId) {
        return Optional.of(new StoredKey(key, "priming"));
    }

    @Override
    public Optional<ApiKey> rename(String accountId, String keyId, String name, ChangeEvent event) {
        return Optional.of(key);
    }

    @Override
    public Optional<ApiKey> update(String accountId, String keyId, KeyUpdate update, ChangeEvent event) {
        return Optional.of(key.with(update));
    }

    @Override
    public int count(String accountId) {
        return 0;
    }

    @Override
    public Page list(String accountId, int limit, String afterKeyId) {
        return new Page(List.of(key), null);
    }

    @Override
    public boolean delete(StoredKey key, Instant at, List<ChangeEvent> events) {
        return true;
    }

    @Override
    public boolean deleteExpired(StoredKey key, Instant at, ChangeEvent event) {
        return false;
    }

    @Override
    public List<ExpiredKey> expiredKeys(Instant expiredBefore) {
        return List.of();
    }

    @Override
    public AccountSettings settings(String accountId) {
        return AccountSettings.DEFAULTS;
    }

    @Override
    public void saveExpiredKeyRetention(String accountId, Integer days, ChangeEvent event) {
    }

    @Override
    public void noteSecret(String accountId, String keyId, Instant at) {
    }

    @Override
    public boolean claimNote(SecretNote note, Instant now, Instant until) {
        return false;
    }

    @Override
    public void forgetSecret(String accountId, String keyId) {
    }

    @Override
    public List<SecretNote> secretNotes(Instant before) {
        return List.of();
    }

    @Override
    public Optional<ClientRecord> find(String id) {
        return Optional.of(new ClientRecord(clientId, key.accountId(), key.id(), Credentials.hash(secret), List.of(), 1, null));
    }

    @Override
    public boolean replace(ClientRecord current, ClientRecord next, ChangeEvent event) {
        return true;
    }

    @Override
    public void add(String accountId, String keyId, Map<LocalDate, Counts> counts, Instant lastUsedAt) {
    }

    @Override
    public List<DailyUsage> days(String accountId, String keyId, LocalDate from, LocalDate to) {
        return List.of();
    }

    @Override
    public StoredSecret store(String accountId, String keyId, String clientId, String clientSecret, String requestId) {
        return new StoredSecret("priming", clientId, clientSecret);
    }

    @Override
    public void replace(String secretRef, String clientId, String clientSecret, String requestId) {
    }

    @Override
    public Optional<String> readVersion(String secretRef, String requestId) {
        return Optional.of(secret);
    }

    @Override
    public Optional<String> read(String secretRef) {
        return Optional.of(secret);
    }

    @Override
    public void destroy(String accountId, String keyId) {
    }

    private static final class NoAudit implements AuditTrail {
        @Override
        public void record(ChangeEvent event) {
        }

        @Override
        public boolean recordOnce(ChangeEvent event, String once) {
            return true;
        }

        @Override
        public Page list(String accountId, int limit, String afterId) {
            return new Page(List.of(), null);
        }
    }
}
