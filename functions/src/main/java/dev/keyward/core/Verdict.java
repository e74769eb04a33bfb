package dev.keyward.core;

import java.util.List;
import java.util.SortedSet;

/**
 * What the authorizer decided about one request.
 *
 * @param outcome   allowed (the credentials are valid; {@code resources} says which routes they open),
 *                  denied, forbidden (valid credentials refused for this request: its address), or no
 *                  credentials presented at all
 * @param accountId the key's account, when allowed or forbidden
 * @param keyId     the key, when allowed or forbidden
 * @param scopes    the key's scopes, when allowed (empty otherwise)
 * @param resources the execute-api ARNs the key may call, when allowed and the routes were given
 *                  ({@link RouteScopes#resources}); empty otherwise
 * @param reason    why a check of a known key was refused (its route not among the resources
 *                  included), or null
 */
public record Verdict(Outcome outcome, String accountId, String keyId, SortedSet<String> scopes,
                      List<String> resources, DenialReason reason) {
    public enum Outcome { ALLOW, DENY, FORBIDDEN, NO_CREDENTIALS }

    static final Verdict DENY = new Verdict(Outcome.DENY, null, null);
    static final Verdict NO_CREDENTIALS = new Verdict(Outcome.NO_CREDENTIALS, null, null);

    public Verdict {
        scopes = scopes == null ? Scopes.NONE : ApiKey.copy(scopes);
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    public Verdict(Outcome outcome, String accountId, String keyId) {
        this(outcome, accountId, keyId, null, null, null);
    }

    public Verdict(Outcome outcome, String accountId, String keyId, SortedSet<String> scopes) {
        this(outcome, accountId, keyId, scopes, null, null);
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }
}
