package dev.keyward.local;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps web pages away from the local API: a request whose {@code Host} is neither a loopback
 * name nor the address the server was bound to (DNS rebinding), or whose {@code Origin} is not the
 * server itself (a cross-site request), is refused 403 before its body is read.
 */
final class HostGuard {
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

    private final Set<String> allowedHosts;

    HostGuard(String boundHost) {
        this.allowedHosts = allowedHosts(boundHost);
    }

    /** The names a request's Host may give: loopback ones, and the address the server is bound to. */
    static Set<String> allowedHosts(String boundHost) {
        Set<String> names = new HashSet<>(LOOPBACK_NAMES);
        String bound = boundHost.toLowerCase(Locale.ROOT);
        names.add(bound.contains(":") && !bound.startsWith("[") ? "[" + bound + "]" : bound);
        return Set.copyOf(names);
    }

    /** The 403 to answer, or null when the request may go on. */
    HttpFailure refusal(RequestHead head) {
        List<String> hosts = head.all("Host");
        String host = hosts.size() == 1 ? hosts.get(0) : null;
        if (host == null || !allowedHosts.contains(hostName(host))) {
            return new HttpFailure(403, "host_not_allowed", "Host must name this machine's loopback address "
                    + "(localhost, 127.0.0.1, [::1]) or the address the local API was started on.");
        }
        String origin = head.first("Origin");
        if (origin != null && !origin.equalsIgnoreCase("http://" + host)) {
            return new HttpFailure(403, "origin_not_allowed",
                    "Origin is another site: the local API answers only its own console and clients that send no Origin.");
        }
        return null;
    }

    /** The name part of a Host value, lower case: {@code LocalHost:3000} is {@code localhost}. */
    static String hostName(String host) {
        String value = host.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? value : value.substring(0, end + 1);
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }
}
