package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF guard: a URL's form, then every address its host resolves to. */
class WebhookUrlsTest {
    private final Map<String, InetAddress[]> dns = new HashMap<>();
    private final List<String> asked = new ArrayList<>();
    private final HostResolver resolver = host -> {
        asked.add(host);
        InetAddress[] addresses = dns.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses;
    };

    WebhookUrlsTest() throws UnknownHostException {
        dns.put("hooks.example.com", addresses("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"));
        dns.put("internal.example.com", addresses("93.184.215.14", "10.0.0.7"));
        dns.put("metadata.example.com", addresses("169.254.169.254"));
        dns.put("v6-private.example.com", addresses("fd00::1"));
        dns.put("localhost", addresses("127.0.0.1", "::1"));
        dns.put("half-local.example.com", addresses("127.0.0.1", "93.184.215.14"));
        dns.put("nothing.example.com", new InetAddress[0]);
        dns.put("2606:4700::1111", addresses("2606:4700::1111"));
        dns.put("::1", addresses("::1"));
    }

    private static InetAddress[] addresses(String... literals) throws UnknownHostException {
        InetAddress[] addresses = new InetAddress[literals.length];
        for (int i = 0; i < literals.length; i++) {
            addresses[i] = InetAddress.getByName(literals[i]);
        }
        return addresses;
    }

    private String refusal(WebhookUrls urls, String url) {
        KeywardException refused = assertThrows(KeywardException.class, () -> urls.check(url), url);
        assertEquals(ErrorCode.INVALID_WEBHOOK_URL, refused.code());
        return refused.detail();
    }

    @Test
    void an_https_url_whose_host_resolves_to_public_addresses_is_taken_as_given() {
        WebhookUrls urls = new WebhookUrls(resolver, false);
        assertEquals(URI.create("https://hooks.example.com/keyward?team=7"), urls.check("https://hooks.example.com/keyward?team=7"));
        assertEquals(List.of("hooks.example.com"), asked);
        assertEquals(URI.create("https://[2606:4700::1111]:8443/in"), urls.check("https://[2606:4700::1111]:8443/in"));
        assertEquals("2606:4700::1111", asked.get(1));
    }

    @Test
    void a_host_with_any_address_that_is_not_public_is_refused() {
        WebhookUrls urls = new WebhookUrls(resolver, false);
        for (String url : List.of("https://internal.example.com/", "https://metadata.example.com/latest/meta-data",
                "https://v6-private.example.com/", "https://localhost/", "https://[::1]/")) {
            assertEquals("The URL's host resolves to an address that is not public (private, loopback, link-local or "
                    + "reserved); webhooks are posted to the internet only.", refusal(urls, url));
        }
    }

    @Test
    void a_host_that_does_not_resolve_is_refused() {
        WebhookUrls urls = new WebhookUrls(resolver, false);
        assertEquals("The URL's host name does not resolve.", refusal(urls, "https://unknown.example.com/"));
        assertEquals("The URL's host name does not resolve.", refusal(urls, "https://nothing.example.com/"));
    }

    @Test
    void http_is_refused_even_to_public_addresses() {
        assertEquals("The URL must start with https://.", refusal(new WebhookUrls(resolver, false), "http://hooks.example.com/"));
        assertEquals("The URL must start with https://.", refusal(new WebhookUrls(resolver, true), "http://hooks.example.com/"));
    }

    @Test
    void the_local_api_allows_loopback_over_http_and_https_but_nothing_else_private() {
        WebhookUrls local = new WebhookUrls(resolver, true);
        assertEquals(URI.create("http://localhost:8787/hooks"), local.check("http://localhost:8787/hooks"));
        assertEquals(URI.create("https://localhost/hooks"), local.check("https://localhost/hooks"));
        assertEquals(URI.create("http://[::1]:9000/"), local.check("http://[::1]:9000/"));
        assertEquals(URI.create("https://hooks.example.com/"), local.check("https://hooks.example.com/"));
        // loopback and public together: https only, as to any public host
        assertEquals(URI.create("https://half-local.example.com/"), local.check("https://half-local.example.com/"));
        assertEquals("The URL must start with https://.", refusal(local, "http://half-local.example.com/"));
        refusal(local, "https://internal.example.com/");
        refusal(local, "http://metadata.example.com/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hooks.example.com/path", "/relative", "ftp://hooks.example.com/", "HTTPS://hooks.example.com/",
        "Https://hooks.example.com/", "mailto:ops@example.com", "https:opaque", "https:///no-host", "https://us er@hooks.example.com/",
        "https://user:pass@hooks.example.com/", "https://hooks.example.com/#part", "https://hooks.example.com/ spaces"})
    void a_url_of_the_wrong_form_is_refused_before_any_name_is_looked_up(String url) {
        refusal(new WebhookUrls(resolver, true), url);
        assertEquals(List.of(), asked);
    }

    @Test
    void each_wrong_form_is_named() {
        WebhookUrls urls = new WebhookUrls(resolver, false);
        assertEquals("'url' must be an https URL of at most 2048 characters.", refusal(urls, null));
        assertEquals("'url' must be an https URL of at most 2048 characters.", refusal(urls, ""));
        assertEquals("'url' is not a valid URL.", refusal(urls, "https://hooks.example.com/ spaces"));
        assertEquals("The URL must start with https://.", refusal(urls, "/relative"));
        assertEquals("The URL has no host name.", refusal(urls, "https:///no-host"));
        assertEquals("The URL may not hold a user name or password; authenticate the webhook by its signature.",
                refusal(urls, "https://user:pass@hooks.example.com/"));
        assertEquals("The URL may not have a fragment (#...).", refusal(urls, "https://hooks.example.com/#part"));
    }

    @Test
    void a_url_may_be_2048_characters_long_and_no_longer() {
        WebhookUrls urls = new WebhookUrls(resolver, false);
        String start = "https://hooks.example.com/";
        String longest = start + "a".repeat(WebhookUrls.MAX_LENGTH - start.length());
        assertEquals(2048, longest.length());
        assertEquals(URI.create(longest), urls.check(longest));
        refusal(urls, longest + "a");
    }
}
