package dev.keyward.core;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * An account's webhook endpoints: register, list, read, delete, rotate the signing secret, send
 * a test event. A signing secret is answered twice only: when the endpoint is registered and when
 * its secret is rotated; it is never stored outside {@link WebhookSecrets}, never logged.
 *
 * <p>Ordering. Register checks the URL, stores the secret (its request id derived from the new
 * endpoint's id, so a retry of that call stores nothing new), then saves the endpoint; if the
 * save is refused the secret is destroyed again, and if its answer is lost the endpoint is read
 * back. A secret whose endpoint was never saved (a crash between the two) belongs to no endpoint
 * and signs nothing. Delete removes the endpoint first, so nothing more is delivered to it, then
 * destroys its secret; a secret left by a failure there signs nothing either.
 */
public final class Webhooks {
    public static final String ID_PREFIX = "whk_";
    public static final int MAX_ENDPOINTS = 10;
    /** How long a rotated-out signing secret keeps signing deliveries unless the rotation says otherwise: a day. */
    public static final long DEFAULT_OVERLAP_SECONDS = 86_400;
    public static final long MAX_OVERLAP_SECONDS = 86_400;

    private final WebhookPorts ports;
    private final WebhookStore store;
    private final WebhookSecrets secrets;
    private final EventLog log;

    public Webhooks(WebhookPorts ports) {
        this.ports = ports;
        this.store = ports.store();
        this.secrets = ports.secrets();
        this.log = ports.log();
    }

    /** What an admin asks to register: where to post, and which event types. */
    public record NewWebhook(String url, SortedSet<String> events) {
    }

    /** A new endpoint and its signing secret, which is shown this once. */
    public record Registered(WebhookEndpoint endpoint, String secret) {
        @Override
        public String toString() {
            return "Registered[endpoint=" + endpoint + ", secret=<redacted>]";
        }
    }

    /**
     * Registers an endpoint after checking its URL ({@link WebhookUrls}).
     *
     * @throws KeywardException {@link ErrorCode#WEBHOOK_LIMIT_REACHED} when the account has {@value #MAX_ENDPOINTS}
     */
    public Registered register(String accountId, NewWebhook request, String caller) {
        AccountIds.require(accountId);
        URI url = ports.urls().check(request.url());
        if (store.list(accountId).size() >= MAX_ENDPOINTS) {
            throw new KeywardException(ErrorCode.WEBHOOK_LIMIT_REACHED,
                    "An account may have at most " + MAX_ENDPOINTS + " webhook endpoints; delete one first.");
        }
        String id = ports.endpointIds().get();
        WebhookEndpoint endpoint = new WebhookEndpoint(accountId, id, url.toString(), request.events(),
                ports.now(), caller, List.of());
        // the endpoint first, then its secret: a secret never exists without its endpoint, so what a
        // failure leaves is at most an endpoint, which the list shows and a delete removes
        try {
            if (!store.insert(endpoint)) {
                throw new IllegalStateException("A new endpoint id was taken already");
            }
        } catch (OutcomeUnknownException unknown) {
            // the save may have landed: read it back; if it did not, nothing was stored
            if (store.find(accountId, id).isEmpty()) {
                throw unknown;
            }
        }
        String secret = WebhookSigner.newSecret();
        try {
            secrets.store(accountId, id, secret, "webhook-register:" + accountId + ":" + id);
        } catch (RuntimeException failed) {
            // the secret may have been stored after all: it goes, then the endpoint
            BestEffort.run(log, "webhook_register_not_undone", accountId, id, failed, () -> {
                secrets.destroy(accountId, id);
                store.delete(accountId, id);
            });
            throw failed;
        }
        log.info("webhook_registered", accountId, id);
        return new Registered(endpoint, secret);
    }

    public List<WebhookEndpoint> list(String accountId) {
        AccountIds.require(accountId);
        return store.list(accountId);
    }

    public WebhookEndpoint get(String accountId, String endpointId) {
        return find(accountId, endpointId);
    }

    /**
     * Destroys the endpoint's signing secret, then deletes the endpoint; nothing more is delivered
     * to it. The secret goes first: when either step fails, the endpoint is still there to delete
     * again (a failure answers 503), where the other way round a destroy that failed after the
     * endpoint was gone left a secret no call could reach. Between the two, a delivery finds no
     * secret and posts nothing.
     */
    public void delete(String accountId, String endpointId) {
        find(accountId, endpointId);
        secrets.destroy(accountId, endpointId);
        if (!store.delete(accountId, endpointId)) {
            throw notFound(); // another delete came first
        }
        log.info("webhook_deleted", accountId, endpointId);
    }

    /** A rotation's new signing secret (shown this once) and when the one it replaced stops signing, or null: at once. */
    public record RotatedSecret(String secret, Instant previousValidUntil) {
        @Override
        public String toString() {
            return "RotatedSecret[secret=<redacted>, previousValidUntil=" + previousValidUntil + "]";
        }
    }

    /**
     * A new signing secret for the endpoint, used from the next delivery on and answered this
     * once. The current secret keeps signing beside it for {@code overlapSeconds} (null: the
     * default {@value #DEFAULT_OVERLAP_SECONDS}, a day; 0: it stops at once), so a receiver has
     * that long to switch; a secret that was still in its own overlap stops at once. Reads the
     * secrets, then replaces the version it read: of two rotations at the same moment, one is
     * stored and the other refused with {@link ErrorCode#WEBHOOK_ROTATION_CONFLICT}, so no caller
     * is ever answered a secret that does not sign.
     *
     * @throws KeywardException {@link ErrorCode#INVALID_OVERLAP_SECONDS} when {@code overlapSeconds} is out of
     *                          range; {@link ErrorCode#WEBHOOK_ROTATION_CONFLICT} when another rotation came first
     */
    public RotatedSecret rotateSecret(String accountId, String endpointId, Long overlapSeconds) {
        AccountIds.require(accountId);
        long overlap = overlapSeconds == null ? DEFAULT_OVERLAP_SECONDS : overlapSeconds;
        if (overlap < 0 || overlap > MAX_OVERLAP_SECONDS) {
            throw new KeywardException(ErrorCode.INVALID_OVERLAP_SECONDS,
                    "overlapSeconds must be a whole number from 0 to " + MAX_OVERLAP_SECONDS + ".");
        }
        find(accountId, endpointId);
        String secret = WebhookSigner.newSecret();
        Instant now = ports.now();
        Optional<WebhookSecrets.Found> found = secrets.read(accountId, endpointId);
        WebhookSigningSecrets next = found
                .map(current -> current.secrets().rotatedTo(secret, now, Duration.ofSeconds(overlap)))
                .orElse(WebhookSigningSecrets.of(secret));
        boolean replaced = secrets.replace(accountId, endpointId, next, found.map(WebhookSecrets.Found::version).orElse(null),
                "webhook-rotate:" + accountId + ":" + endpointId + ":" + ports.eventIds().get());
        if (!replaced) {
            log.info("webhook_secret_rotation_conflict", accountId, endpointId);
            throw new KeywardException(ErrorCode.WEBHOOK_ROTATION_CONFLICT, "Another rotation of this endpoint's signing"
                    + " secret finished first, and its secret is the one in force; this one was not stored. Rotate again"
                    + " for a secret you hold.");
        }
        log.info("webhook_secret_rotated", accountId, endpointId);
        return new RotatedSecret(secret, next.previousUntil());
    }

    /**
     * Posts a {@value WebhookEventTypes#TEST} event to the endpoint now, once, signed like every
     * delivery, and records the outcome among its recent deliveries.
     */
    public WebhookEndpoint.Delivery sendTest(String accountId, String endpointId, String caller) {
        WebhookEndpoint endpoint = find(accountId, endpointId);
        String eventId = ports.eventIds().get();
        String body = "{\"id\":" + quote(eventId) + ",\"type\":" + quote(WebhookEventTypes.TEST)
                + ",\"version\":\"1\",\"time\":" + quote(ports.now().toString())
                + ",\"accountId\":" + quote(accountId)
                + ",\"actor\":{\"type\":\"admin\",\"id\":" + (caller == null ? "null" : quote(caller)) + "}"
                + ",\"data\":{\"endpointId\":" + quote(endpointId) + "}}";
        WebhookDelivery.Task task = new WebhookDelivery.Task(accountId, endpointId, eventId, WebhookEventTypes.TEST, body);
        return new WebhookDelivery(ports, List.of()).attempt(endpoint, task, 1, WebhookEndpoint.Outcome.FAILED);
    }

    public static boolean isWellFormed(String endpointId) {
        return Ulids.isWellFormed(ID_PREFIX, endpointId);
    }

    private WebhookEndpoint find(String accountId, String endpointId) {
        AccountIds.require(accountId);
        if (!isWellFormed(endpointId)) {
            throw notFound();
        }
        return store.find(accountId, endpointId).orElseThrow(Webhooks::notFound);
    }

    static KeywardException notFound() {
        return new KeywardException(ErrorCode.WEBHOOK_NOT_FOUND, "No webhook endpoint with this id exists in this account.");
    }

    /** A JSON string. */
    static String quote(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
