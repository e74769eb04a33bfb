package dev.keyward.core;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which URLs a webhook may be posted to, checked when an endpoint is registered and again before
 * every delivery (what a name resolves to can change): an absolute {@code https} URL without
 * user info or fragment, whose host resolves only to public addresses ({@link PublicAddresses}),
 * so that no account can make Keyward post into its own network or the cloud's metadata service.
 * With {@code allowLoopback} (the local API only, never a deployed function), {@code http} and
 * {@code https} to loopback addresses are allowed too, so a developer can receive events on
 * their own machine.
 */
public final class WebhookUrls {
    public static final int MAX_LENGTH = 2048;

    private final HostResolver resolver;
    private final boolean allowLoopback;

    public WebhookUrls(HostResolver resolver, boolean allowLoopback) {
        this.resolver = resolver;
        this.allowLoopback = allowLoopback;
    }

    /**
     * The URL, checked: its form, then where its host resolves.
     *
     * @throws KeywardException {@link ErrorCode#INVALID_WEBHOOK_URL} when it may not be posted to
     */
    public URI check(String url) {
        URI uri = parse(url);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host(uri));
        } catch (UnknownHostException e) {
            throw invalid("The URL's host name does not resolve.");
        }
        if (addresses.length == 0) {
            throw invalid("The URL's host name does not resolve.");
        }
        boolean allLoopback = true;
        for (InetAddress address : addresses) {
            boolean loopback = address.isLoopbackAddress();
            allLoopback &= loopback;
            if (!PublicAddresses.isPublic(address) && !(allowLoopback && loopback)) {
                throw invalid("The URL's host resolves to an address that is not public (private, loopback, "
                        + "link-local or reserved); webhooks are posted to the internet only.");
            }
        }
        if (!"https".equals(uri.getScheme()) && !(allowLoopback && allLoopback)) {
            throw invalid("The URL must start with https://.");
        }
        return uri;
    }

    /** The URL's form alone: absolute, http(s), a host, no user info or fragment. */
    static URI parse(String url) {
        if (url == null || url.isEmpty() || url.length() > MAX_LENGTH) {
            throw invalid("'url' must be an https URL of at most " + MAX_LENGTH + " characters.");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("'url' is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.isOpaque() || !(scheme.equals("https") || scheme.equals("http"))
                || !scheme.equals(uri.getScheme())) {
            throw invalid("The URL must start with https://.");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid("The URL has no host name.");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("The URL may not hold a user name or password; authenticate the webhook by its signature.");
        }
        if (uri.getRawFragment() != null) {
            throw invalid("The URL may not have a fragment (#...).");
        }
        return uri;
    }

    private static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static KeywardException invalid(String detail) {
        return new KeywardException(ErrorCode.INVALID_WEBHOOK_URL, detail);
    }
}
