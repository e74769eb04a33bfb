package dev.keyward.core;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Delivers events to webhook endpoints, Standard Webhooks 1.0: each POST carries the event as its
 * body and {@code webhook-id} (the event's id, the same on every attempt), {@code webhook-timestamp}
 * (the attempt's time, unix seconds) and {@code webhook-signature} (one signature per secret in
 * force: after a rotation, the previous secret's too until its overlap ends; see
 * {@link WebhookSigningSecrets}). At least once: an event is
 * first fanned out into one task per subscribed endpoint, and each task is tried until the
 * endpoint answers 2xx, after each failure again after the next of the {@link #RETRY_DELAYS}
 * (more than a day in all), then parked: the endpoint's recent deliveries say so and the task waits
 * in the dead-letter queue.
 *
 * <p>The URL is checked again before every attempt ({@link WebhookUrls}): a name that resolved
 * to a public address when it was registered may not any more. Redirects are not followed. The
 * endpoint's answer is never read past its status, nor stored.
 */
public final class WebhookDelivery {
    /** The waits after the first, second, ... failed attempt: about 27.7 hours in all. */
    public static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(30), Duration.ofMinutes(2),
            Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
            Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(12));

    private final WebhookPorts ports;
    private final List<Duration> delays;

    public WebhookDelivery(WebhookPorts ports) {
        this(ports, RETRY_DELAYS);
    }

    /** @param delays the waits between attempts; the last attempt is the one after the last wait */
    public WebhookDelivery(WebhookPorts ports, List<Duration> delays) {
        this.ports = ports;
        this.delays = List.copyOf(delays);
    }

    /** How many times a task is tried before it is parked. */
    public int maxAttempts() {
        return delays.size() + 1;
    }

    /** The wait after failed attempt number {@code attempt} (from 1); the longest after the last. */
    public Duration waitAfter(int attempt) {
        return delays.isEmpty() ? Duration.ZERO : delays.get(Math.min(delays.size() - 1, Math.max(0, attempt - 1)));
    }

    /** One event for one endpoint: what one message of the delivery queue carries. */
    public record Task(String accountId, String endpointId, String eventId, String eventType, String body) {
    }

    /** What became of one attempt, and when to try again (null: do not). */
    public record Attempt(WebhookEndpoint.Outcome outcome, Duration retryAfter, WebhookEndpoint.Delivery delivery) {
    }

    /** The tasks of one event: one per endpoint of its account that subscribed to its type. */
    public List<Task> fanOut(String accountId, String eventId, String eventType, String body) {
        AccountIds.require(accountId);
        List<Task> tasks = new ArrayList<>();
        for (WebhookEndpoint endpoint : ports.store().list(accountId)) {
            if (endpoint.events().contains(eventType)) {
                tasks.add(new Task(accountId, endpoint.id(), eventId, eventType, body));
            }
        }
        return tasks;
    }

    /**
     * Attempt number {@code attempt} (from 1) of a task.
     *
     * @return empty when the endpoint is gone: there is nothing to deliver to
     */
    public Optional<Attempt> deliver(Task task, int attempt) {
        Optional<WebhookEndpoint> endpoint = ports.store().find(task.accountId(), task.endpointId());
        if (endpoint.isEmpty()) {
            ports.log().info("webhook_endpoint_gone", task.accountId(), task.endpointId());
            return Optional.empty();
        }
        boolean last = attempt >= maxAttempts();
        WebhookEndpoint.Delivery delivery = attempt(endpoint.get(), task, attempt,
                last ? WebhookEndpoint.Outcome.PARKED : WebhookEndpoint.Outcome.RETRYING);
        Duration retryAfter = delivery.outcome() == WebhookEndpoint.Outcome.RETRYING ? waitAfter(attempt) : null;
        return Optional.of(new Attempt(delivery.outcome(), retryAfter, delivery));
    }

    /** One POST; {@code failed} is what a failure is recorded as. */
    WebhookEndpoint.Delivery attempt(WebhookEndpoint endpoint, Task task, int attempt, WebhookEndpoint.Outcome failed) {
        Instant now = ports.now();
        Integer status = null;
        String error = null;
        Optional<WebhookSigningSecrets> secrets = ports.secrets().read(task.accountId(), task.endpointId())
                .map(WebhookSecrets.Found::secrets);
        if (secrets.isEmpty()) {
            error = "signing_secret_missing";
        } else {
            try {
                URI url = ports.urls().check(endpoint.url());
                status = ports.sender().post(url, headers(task, secrets.get().inForceAt(now), now), task.body());
                if (status < 200 || status > 299) {
                    error = "http_status";
                }
            } catch (KeywardException refused) {
                error = "address_not_public";
            } catch (HttpTimeoutException e) {
                error = "timeout";
            } catch (ConnectException e) {
                error = "connection_refused";
            } catch (SSLException e) {
                error = "tls_failed";
            } catch (IOException e) {
                error = "connection_failed";
            }
        }
        WebhookEndpoint.Outcome outcome = error == null ? WebhookEndpoint.Outcome.DELIVERED : failed;
        WebhookEndpoint.Delivery delivery = new WebhookEndpoint.Delivery(task.eventId(), task.eventType(), now,
                attempt, outcome, status, error);
        // a delivery that went out stays delivered even when its record cannot be written
        BestEffort.run(ports.log(), "webhook_delivery_unrecorded", task.accountId(), task.endpointId(), null,
                () -> ports.store().recordDelivery(task.accountId(), task.endpointId(), delivery));
        return delivery;
    }

    /** The Standard Webhooks headers of one attempt, signed with each of {@code secrets}. */
    static Map<String, String> headers(Task task, List<String> secrets, Instant now) {
        long timestamp = now.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("user-agent", "Keyward-Webhooks/1");
        headers.put("webhook-id", task.eventId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", WebhookSigner.signatures(secrets, task.eventId(), timestamp, task.body()));
        return headers;
    }
}
