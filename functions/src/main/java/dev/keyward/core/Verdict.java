package dev.keyward.core;

import java.util.SortedSet;

/**
 * What the authorizer decided about one request.
 *
 * @param outcome   allowed, denied, or no credentials presented at all
 * @param accountId the key's account, when allowed
 * @param keyId     the key, when allowed
 * @param scopes    the key's scopes, when allowed (empty otherwise)
 */
public record Verdict(Outcome outcome, String accountId, String keyId, SortedSet<String> scopes) {
    public enum Outcome { ALLOW, DENY, NO_CREDENTIALS }

    static final Verdict DENY = new Verdict(Outcome.DENY, null, null);
    static final Verdict NO_CREDENTIALS = new Verdict(Outcome.NO_CREDENTIALS, null, null);

    public Verdict {
        scopes = scopes == null ? Scopes.NONE : ApiKey.copy(scopes);
    }

    public Verdict(Outcome outcome, String accountId, String keyId) {
        this(outcome, accountId, keyId, null);
    }

    static Verdict allow(String accountId, String keyId, SortedSet<String> scopes) {
        return new Verdict(Outcome.ALLOW, accountId, keyId, scopes);
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }
}
