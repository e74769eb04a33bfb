package dev.keyward.core;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Scope names: what a key may do, such as {@code orders:read}. Which routes a scope opens is the
 * protected API's business ({@link RouteScopes}); a scope no route names opens nothing.
 */
public final class Scopes {
    public static final int MAX_SCOPES = 50;
    public static final SortedSet<String> NONE = Collections.unmodifiableSortedSet(new TreeSet<>());
    static final Pattern FORMAT = Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");

    private Scopes() {
    }

    public static boolean isWellFormed(String scope) {
        return scope != null && FORMAT.matcher(scope).matches();
    }

    /**
     * The scopes as stored: scope names (repeats count once), at most {@value #MAX_SCOPES}; none
     * for none. A null name is one that was not a string.
     *
     * @throws KeywardException {@link ErrorCode#INVALID_SCOPES} otherwise
     */
    public static SortedSet<String> of(List<String> names) {
        SortedSet<String> scopes = new TreeSet<>();
        for (String scope : names) {
            if (!isWellFormed(scope)) {
                throw invalid("Each scope must be a string of 1 to 64 characters: a lowercase letter, then lowercase "
                        + "letters, digits, '_', '.', ':' or '-'.");
            }
            scopes.add(scope);
        }
        if (scopes.size() > MAX_SCOPES) {
            throw invalid("A key may have at most " + MAX_SCOPES + " scopes; " + scopes.size() + " were given.");
        }
        return Collections.unmodifiableSortedSet(scopes);
    }

    /** The answer to scopes that are not a JSON array (null included). */
    public static KeywardException notAList() {
        return invalid("'scopes' must be a JSON array of scope names, such as [\"orders:read\"].");
    }

    private static KeywardException invalid(String detail) {
        return new KeywardException(ErrorCode.INVALID_SCOPES, detail);
    }
}
