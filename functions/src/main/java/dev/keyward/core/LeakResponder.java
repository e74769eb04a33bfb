package dev.keyward.core;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;

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
 * Either way the account hears of it: a {@code key.leaked} event, with the action taken and the
 * URL, written in the same transaction as the deletion or the mark.
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
    private final Clock clock;
    private final ChangeEvents events;
    private final EventLog log;

    public LeakResponder(KeyDeletion keys, ClientStore clients, LeakStore leaks, Clock clock, EventLog log) {
        this.keys = Objects.requireNonNull(keys);
        this.clients = Objects.requireNonNull(clients);
        this.leaks = Objects.requireNonNull(leaks);
        this.clock = Objects.requireNonNull(clock);
        this.events = new ChangeEvents(clock);
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
            case REVOKE -> revoke(found, report.url());
            case FLAG -> flag(found, hash, report.url());
        }
        return LeakFeedback.Label.TRUE_POSITIVE;
    }

    private void revoke(LeakStore.SecretOwner owner, String url) {
        try {
            keys.revokeLeaked(owner.accountId(), owner.keyId(), url);
            log.info("leak_revoked", owner.accountId(), owner.keyId());
        } catch (KeywardException e) {
            if (e.code() != ErrorCode.KEY_NOT_FOUND) {
                throw e;
            }
            // deleted in the meantime, by an admin or a concurrent report: revoked all the same
        }
    }

    private void flag(LeakStore.SecretOwner owner, String hash, String url) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("action", "flagged");
        data.put("url", url);
        ChangeEvent event = events.key(EventType.KEY_LEAKED, owner.accountId(), owner.keyId(), owner.clientId(),
                ChangeEvent.Actor.secretScanning(), data);
        if (!leaks.flag(owner.accountId(), owner.keyId(), hash, url, clock.instant().truncatedTo(ChronoUnit.MILLIS), event)) {
            return;
        }
        log.info("leak_flagged", owner.accountId(), owner.keyId());
    }

    public static KeywardException tooManyTokens(int count) {
        return new KeywardException(ErrorCode.TOO_MANY_TOKENS,
                "The report holds " + count + " tokens; at most " + MAX_TOKENS + " are accepted per request.");
    }
}
