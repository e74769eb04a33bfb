package dev.keyward.core;

/**
 * What the authorizer decided about one request.
 *
 * @param outcome   allowed, denied, or no credentials presented at all
 * @param accountId the key's account, when allowed
 * @param keyId     the key, when allowed
 */
public record Verdict(Outcome outcome, String accountId, String keyId) {
    public enum Outcome { ALLOW, DENY, NO_CREDENTIALS }

    static final Verdict DENY = new Verdict(Outcome.DENY, null, null);
    static final Verdict NO_CREDENTIALS = new Verdict(Outcome.NO_CREDENTIALS, null, null);

    static Verdict allow(String accountId, String keyId) {
        return new Verdict(Outcome.ALLOW, accountId, keyId);
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }
}
