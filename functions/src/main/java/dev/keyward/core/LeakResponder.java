package dev.keyward.core;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers a secret scanner's report of secrets found in public places, and acts on each.
 *
 * <p>Per token: one that is not a well-formed Keyward secret (wrong shape, or a checksum that
 * does not match) is a false positive, decided without any lookup. Otherwise the secret's hash
 * names its key (the {@code SECRET_HASH} lookup kept with the key); none means it never was
 * ours. When the key's client still accepts that secret (its current one, or one in a
 * rotation's grace period), the account's {@link LeakPolicy} applies: {@code revoke} deletes the
 * key as an admin would, recorded in the audit trail with the caller {@link #ACTOR};
 * {@code flag} marks the key leaked with the URL and records {@link AuditAction#LEAK_REPORTED}.
 * A secret that no longer works (the key deleted, or rotated out) is a true positive with
 * nothing left to do, so a report seen twice changes nothing the second time.
 */
public final class LeakResponder {
    /** The caller the audit trail names for what a report did. */
    public static final String ACTOR = "secret-scanning";
    /** The most tokens one report may carry. */
    public static final int MAX_TOKENS = 1_000;

    private final KeyDeletion keys;
    private final ClientStore clients;
    private final LeakStore leaks;
    private final AuditTrail audit;
    private final Clock clock;
    private final Supplier<String> auditIds;
    private final EventLog log;

    public LeakResponder(KeyDeletion keys, ClientStore clients, LeakStore leaks, AuditTrail audit, Clock clock,
                         EventLog log) {
        this.keys = Objects.requireNonNull(keys);
        this.clients = Objects.requireNonNull(clients);
        this.leaks = Objects.requireNonNull(leaks);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
        this.auditIds = AuditIds.generator(clock);
        this.log = Objects.requireNonNull(log);
    }

    /** One answer per reported token, in the report's order. */
    public List<LeakFeedback> respond(List<LeakReport> reports) {
        if (reports.size() > MAX_TOKENS) {
            throw tooManyTokens(reports.size());
        }
        List<LeakFeedback> answers = new ArrayList<>(reports.size());
        for (LeakReport report : reports) {
            answers.add(new LeakFeedback(report.token(), report.type(), judge(report)));
        }
        return answers;
    }

    private LeakFeedback.Label judge(LeakReport report) {
        if (!Credentials.isWellFormedSecret(report.token())) {
            return LeakFeedback.Label.FALSE_POSITIVE;
        }
        String hash = Credentials.hash(report.token());
        Optional<LeakStore.SecretOwner> owner = leaks.ownerOf(hash);
        if (owner.isEmpty()) {
            return LeakFeedback.Label.FALSE_POSITIVE;
        }
        LeakStore.SecretOwner found = owner.get();
        Optional<ClientRecord> client = clients.find(found.clientId());
        if (client.isEmpty() || !client.get().accepts(hash, clock.instant())) {
            log.info("leak_reported_inactive", found.accountId(), found.keyId());
            return LeakFeedback.Label.TRUE_POSITIVE;
        }
        switch (leaks.policy(found.accountId())) {
            case REVOKE -> revoke(found);
            case FLAG -> flag(found, hash, report.url());
        }
        return LeakFeedback.Label.TRUE_POSITIVE;
    }

    private void revoke(LeakStore.SecretOwner owner) {
        try {
            keys.delete(owner.accountId(), owner.keyId(), ACTOR);
            log.info("leak_revoked", owner.accountId(), owner.keyId());
        } catch (KeywardException e) {
            if (e.code() != ErrorCode.KEY_NOT_FOUND) {
                throw e;
            }
            // deleted in the meantime, by an admin or a concurrent report: revoked all the same
        }
    }

    private void flag(LeakStore.SecretOwner owner, String hash, String url) {
        if (!leaks.flag(owner.accountId(), owner.keyId(), hash, url, clock.instant().truncatedTo(ChronoUnit.MILLIS))) {
            return;
        }
        log.info("leak_flagged", owner.accountId(), owner.keyId());
        try {
            audit.record(new AuditEvent(owner.accountId(), auditIds.get(), AuditAction.LEAK_REPORTED, owner.keyId(),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS), ACTOR));
        } catch (RuntimeException e) {
            log.warn("audit_not_recorded", owner.accountId(), owner.keyId(), e);
        }
    }

    public static KeywardException tooManyTokens(int count) {
        return new KeywardException(ErrorCode.TOO_MANY_TOKENS,
                "The report holds " + count + " tokens; at most " + MAX_TOKENS + " are accepted per request.");
    }
}
