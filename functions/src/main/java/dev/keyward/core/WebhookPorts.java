package dev.keyward.core;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the webhook use cases ({@link Webhooks}, {@link WebhookDelivery}) are built from: where
 * endpoints and their signing secrets are kept, the URL check, how a webhook is posted, the clock
 * and the log.
 */
public final class WebhookPorts {
    private final WebhookStore store;
    private final WebhookSecrets secrets;
    private final WebhookUrls urls;
    private final WebhookSender sender;
    private final Clock clock;
    private final EventLog log;
    private final Supplier<String> endpointIds;
    private final Supplier<String> eventIds;

    public WebhookPorts(WebhookStore store, WebhookSecrets secrets, WebhookUrls urls, WebhookSender sender,
                        Clock clock, EventLog log) {
        this.store = Objects.requireNonNull(store);
        this.secrets = Objects.requireNonNull(secrets);
        this.urls = Objects.requireNonNull(urls);
        this.sender = Objects.requireNonNull(sender);
        this.clock = Objects.requireNonNull(clock);
        this.log = Objects.requireNonNull(log);
        this.endpointIds = Ulids.generator(Webhooks.ID_PREFIX, clock);
        this.eventIds = AuditIds.generator(clock);
    }

    public WebhookStore store() {
        return store;
    }

    public WebhookSecrets secrets() {
        return secrets;
    }

    public WebhookUrls urls() {
        return urls;
    }

    public WebhookSender sender() {
        return sender;
    }

    /** Now, in whole milliseconds: every time an endpoint, a delivery or a test event shows. */
    public java.time.Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    public Clock clock() {
        return clock;
    }

    public EventLog log() {
        return log;
    }

    Supplier<String> endpointIds() {
        return endpointIds;
    }

    /** Ids of test events, in the form of every event's id ({@code evt_} + a ULID). */
    Supplier<String> eventIds() {
        return eventIds;
    }
}
