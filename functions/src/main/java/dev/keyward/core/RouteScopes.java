package dev.keyward.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which routes of the protected API each scope opens, as the API declares them in one JSON
 * document, for example
 * <pre>
 * {"*":           ["GET /whoami"],
 *  "orders:read": ["GET /accounts/{accountId}/orders", "GET /accounts/{accountId}/orders/*"]}
 * </pre>
 * {@code "*"} lists the routes open to every valid key, with or without scopes. A route is an
 * HTTP method (or {@code *}) and a path; in the path, {@code {accountId}} stands for the key's own
 * account and must fill a whole segment, any other {@code {name}} and {@code *} match anything
 * (as in API Gateway's method ARNs, where {@code *} also spans slashes). A path names an account
 * in the segment after an {@code accounts} segment, wherever that sits ({@code /accounts/acme},
 * {@code /v1/accounts/acme}), so every {@code accounts} segment of a route must be followed by
 * {@code /{accountId}}, and a wildcard may only come after {@code /accounts/{accountId}} (before
 * it, a {@code *} would match {@code accounts/globex/...} too): a route can never reach into
 * another account.
 *
 * <p>{@link #resources} turns a key's scopes into the execute-api ARNs of exactly those routes,
 * in the API and stage of the request, which the authorizer returns as its Allow policy.
 */
public final class RouteScopes {
    /** The pseudo-scope whose routes every valid key may call. */
    public static final String EVERY_KEY = "*";
    public static final String ACCOUNT_PLACEHOLDER = "{accountId}";
    /** The segment before an account id in a path, wherever it sits: {@code /v1/accounts/acme}. */
    private static final String ACCOUNTS = "accounts";
    private static final Pattern METHOD = Pattern.compile("\\*|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS");
    /** Path segments: literal characters API Gateway resource paths allow, {name}, or *. */
    private static final Pattern SEGMENT = Pattern.compile("\\{[A-Za-z0-9_]+\\+?}|[A-Za-z0-9._~:@!$&'()+,;=*-]+");
    private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final Map<String, List<Route>> byScope;

    private RouteScopes(Map<String, List<Route>> byScope) {
        this.byScope = byScope;
    }

    /** One route: a method and a path template. */
    record Route(String method, String path) {
        /** The method ARN's tail for this route and account: {@code GET/accounts/acme/orders}. */
        String resource(String accountId) {
            StringBuilder tail = new StringBuilder(method).append('/');
            String[] segments = path.substring(1).split("/", -1);
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                if (i > 0) {
                    tail.append('/');
                }
                if (segment.equals(ACCOUNT_PLACEHOLDER)) {
                    tail.append(accountId);
                } else if (segment.startsWith("{")) {
                    tail.append('*');
                } else {
                    tail.append(segment);
                }
            }
            return tail.toString();
        }
    }

    /**
     * Reads the document as parsed from JSON: an object of scope name (or {@code "*"}) to an
     * array of routes.
     *
     * @throws IllegalArgumentException naming what is wrong, so a bad document fails the
     *                                  authorizer's start rather than some request
     */
    public static RouteScopes of(Object document) {
        if (!(document instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("The route scopes must be a JSON object of scope to routes");
        }
        Map<String, List<Route>> byScope = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String scope = String.valueOf(entry.getKey());
            if (!scope.equals(EVERY_KEY) && !Scopes.isWellFormed(scope)) {
                throw new IllegalArgumentException("Not a scope name: " + scope);
            }
            if (!(entry.getValue() instanceof Collection<?> routes)) {
                throw new IllegalArgumentException("Scope " + scope + " must map to an array of routes");
            }
            List<Route> parsed = new ArrayList<>();
            for (Object route : routes) {
                parsed.add(route(scope, route));
            }
            byScope.put(scope, List.copyOf(parsed));
        }
        return new RouteScopes(byScope);
    }

    private static Route route(String scope, Object value) {
        String text = value instanceof String s ? s.strip() : "";
        String[] parts = text.split(" +", 2);
        if (parts.length != 2 || !METHOD.matcher(parts[0]).matches() || !parts[1].startsWith("/")) {
            throw new IllegalArgumentException("Route of scope " + scope + " must be \"METHOD /path\": " + value);
        }
        String path = parts[1];
        String[] segments = path.substring(1).split("/", -1);
        if (segments.length == 1 && segments[0].isEmpty()) {
            return new Route(parts[0], path); // the root path "/"
        }
        boolean accountSeen = false;
        boolean ownAccount = false;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("Route of scope " + scope + " has a bad path segment: " + value);
            }
            if (segment.equals(ACCOUNT_PLACEHOLDER)) {
                if (accountSeen) {
                    throw new IllegalArgumentException("Route of scope " + scope
                            + " must have {accountId} once: " + value);
                }
                accountSeen = true;
                ownAccount = i > 0 && segments[i - 1].equalsIgnoreCase(ACCOUNTS);
            } else if (segment.contains("*") || segment.startsWith("{")) {
                if (!ownAccount) {
                    // a * spans slashes: before /accounts/{accountId} it also matches accounts/<another>
                    throw new IllegalArgumentException("Route of scope " + scope
                            + ": a wildcard must come after /accounts/{accountId}: " + value);
                }
            } else if (segment.equalsIgnoreCase(ACCOUNTS)
                    && (i + 1 == segments.length || !segments[i + 1].equals(ACCOUNT_PLACEHOLDER))) {
                // wherever it sits, an accounts segment names an account: only the key's own
                throw new IllegalArgumentException("Route of scope " + scope
                        + ": an accounts segment must be followed by /{accountId}: " + value);
            }
        }
        return new Route(parts[0], path);
    }

    /**
     * The execute-api ARNs a key may invoke: the routes of its scopes and those open to every
     * key, in the API and stage that {@code methodArn} names, with {@code {accountId}} replaced by
     * the key's account.
     *
     * @return the ARNs in the order the document lists them, each once; empty when the method
     * ARN is malformed or the key may call nothing
     */
    public List<String> resources(String methodArn, String accountId, Set<String> scopes) {
        String base = apiAndStage(methodArn);
        if (base == null || accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
            return List.of();
        }
        Set<String> resources = new LinkedHashSet<>();
        byScope.forEach((scope, routes) -> {
            if (scope.equals(EVERY_KEY) || scopes.contains(scope)) {
                routes.forEach(route -> resources.add(base + route.resource(accountId)));
            }
        });
        return List.copyOf(resources);
    }

    /**
     * Whether one of {@code resources} (as {@link #resources} makes them) names {@code methodArn}, as
     * API Gateway matches a policy's resources: {@code *} stands for any run of characters, slashes
     * included, everything else for itself. False for a null or malformed method ARN.
     */
    public static boolean covers(List<String> resources, String methodArn) {
        if (apiAndStage(methodArn) == null) {
            return false;
        }
        for (String resource : resources) {
            if (matches(resource, methodArn)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code pattern} matches all of {@code text}, {@code *} spanning any run of characters:
     * on a mismatch the last {@code *} takes one more character, so it takes time in proportion to
     * the lengths' product at worst, however many {@code *} there are.
     */
    static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int starText = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                starText = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /**
     * The method and path a method ARN names, {@code GET /accounts/acme/orders} from
     * {@code arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/accounts/acme/orders}, or
     * null if it is not a method ARN.
     */
    public static String route(String methodArn) {
        String base = apiAndStage(methodArn);
        if (base == null) {
            return null;
        }
        String[] methodAndPath = methodArn.substring(base.length()).split("/", 2);
        return methodAndPath.length == 1 ? methodAndPath[0] : methodAndPath[0] + " /" + methodAndPath[1];
    }

    /**
     * {@code arn:aws:execute-api:us-east-1:123456789012:abc123/prod/} from
     * {@code arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/whoami}, or null if it is
     * not a method ARN.
     */
    static String apiAndStage(String methodArn) {
        if (methodArn == null) {
            return null;
        }
        String[] arn = methodArn.split(":", 6);
        if (arn.length != 6 || !arn[0].equals("arn") || !arn[2].equals("execute-api")) {
            return null;
        }
        String[] path = arn[5].split("/", 3);
        if (path.length != 3 || path[0].isEmpty() || path[1].isEmpty() || arn[5].contains("*")) {
            return null;
        }
        return String.join(":", arn[0], arn[1], arn[2], arn[3], arn[4], path[0]) + "/" + path[1] + "/";
    }

    @Override
    public String toString() {
        return byScope.toString();
    }
}
