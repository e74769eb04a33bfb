package dev.keyward.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Evaluates an authorizer's IAM policy for one request the way API Gateway does: an explicit Deny
 * covering the method ARN wins, otherwise an Allow must cover it; no statement means Deny. A
 * statement covers the request when one of its actions matches {@code execute-api:Invoke} and one
 * of its resources matches the method ARN, {@code *} standing for any run of characters
 * ({@code /} included) and {@code ?} for one. An Allow for other routes, or for the same route of
 * another account, is no Allow for this one: the local API never trusts the effect alone.
 */
final class Policies {
    private static final String INVOKE = "execute-api:Invoke";

    private Policies() {
    }

    static boolean allows(Map<String, Object> document, String methodArn) {
        boolean allowed = false;
        for (Object item : items(document == null ? null : document.get("Statement"))) {
            if (!(item instanceof Map<?, ?> statement) || !covers(statement.get("Action"), INVOKE, true)
                    || !covers(statement.get("Resource"), methodArn, false)) {
                continue;
            }
            if ("Deny".equals(statement.get("Effect"))) {
                return false;
            }
            allowed |= "Allow".equals(statement.get("Effect"));
        }
        return allowed;
    }

    /** Actions compare case-insensitively, as IAM's do; resources (method ARNs) exactly. */
    private static boolean covers(Object patterns, String value, boolean ignoreCase) {
        for (Object pattern : items(patterns)) {
            if (pattern == null) {
                continue;
            }
            String text = String.valueOf(pattern);
            if (ignoreCase ? glob(text.toLowerCase(java.util.Locale.ROOT)).matcher(value.toLowerCase(java.util.Locale.ROOT)).matches()
                    : glob(text).matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }

    /** IAM wildcards: {@code *} any run of characters, {@code ?} one. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("(?<=[*?])|(?=[*?])")) {
            regex.append(switch (part) {
                case "*" -> ".*";
                case "?" -> ".";
                default -> Pattern.quote(part);
            });
        }
        return Pattern.compile(regex.toString());
    }

    /** A policy value as a list: one value, an array or a collection. */
    private static List<Object> items(Object value) {
        List<Object> items = new ArrayList<>();
        if (value instanceof Object[] array) {
            items.addAll(List.of(array));
        } else if (value instanceof Collection<?> collection) {
            items.addAll(collection);
        } else if (value != null) {
            items.add(value);
        }
        return items;
    }
}
