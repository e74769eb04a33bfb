package dev.keyward.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The webhook use cases over the in-memory store and secrets, a recording sender and a fixed DNS. */
final class WebhookFixture {
    static final String ACCOUNT = "acme";
    static final String URL = "https://hooks.example.com/keyward";

    final TestClock clock = new TestClock(Instant.parse("2025-03-01T10:00:00Z"));
    final InMemoryWebhookStore store = new InMemoryWebhookStore();
    final InMemoryWebhookSecrets secrets = new InMemoryWebhookSecrets();
    final RecordingSender sender = new RecordingSender();
    final RecordingLog log = new RecordingLog();
    /** host to address; the rest do not resolve */
    final Map<String, String> dns = new java.util.HashMap<>(Map.of("hooks.example.com", "93.184.215.14",
            "other.example.com", "93.184.215.15"));
    final WebhookPorts ports = new WebhookPorts(store, secrets, new WebhookUrls(this::resolve, false), sender, clock, log);
    final Webhooks webhooks = new Webhooks(ports);

    private InetAddress[] resolve(String host) throws UnknownHostException {
        String address = dns.get(host);
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(address)};
    }

    static Webhooks.NewWebhook newWebhook(String url, String... events) {
        return new Webhooks.NewWebhook(url, new TreeSet<>(Set.of(events)));
    }

    Webhooks.Registered register(String... events) {
        return webhooks.register(ACCOUNT, newWebhook(URL, events), "arn:aws:iam::123456789012:user/ops");
    }
}
