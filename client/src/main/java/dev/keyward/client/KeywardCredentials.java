package dev.keyward.client;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.InstantSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * An integration's Keyward credentials: the Client ID and Client Secret of one key, read from
 * its secret {@code keyward/{accountId}/{keyId}} in AWS Secrets Manager with the caller's own
 * IAM role (which needs {@code secretsmanager:GetSecretValue} on that secret, and
 * {@code kms:Decrypt} when the deployment uses a customer-managed key).
 *
 * <p>The secret is read once and kept for {@link Builder#maxAge} (15 minutes by default);
 * {@link #authorizationHeader} then answers from memory. When the protected API answers 401
 * (the credentials were refused: the key was probably rotated), {@link #call} re-reads the
 * secret and, if it changed, retries once with it. A 403 means valid credentials without the
 * route's scope, and is returned as it is: no secret read helps there.
 *
 * <p>Reads of Secrets Manager happen outside the object's lock, one at a time: threads that
 * need the secret at the same moment share one read, and while a usable secret is held no
 * thread waits for another's read. 401s make the secret be read at most once per
 * {@link Builder#refreshInterval} (30 seconds by default); within it, a 401 is returned as it
 * is. When a read fails (Secrets Manager unreachable, throttled), the secret read before
 * keeps being used for up to {@link Builder#maxStale} (24 hours by default) past its
 * {@code maxAge}, with a new read tried at most once per {@code refreshInterval}; after that,
 * or when no secret was ever read, the failure is thrown. The secret is never logged, and
 * {@link #toString} leaves it out.
 *
 * <pre>{@code
 * KeywardCredentials credentials = KeywardCredentials.builder()
 *         .accountId("acme").keyId("key_01JD8X3QH7ZK2M4N6P8R0T2V4W").build();
 * HttpResponse<String> response = credentials.send(http,
 *         HttpRequest.newBuilder(URI.create(api + "/whoami")), HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * Safe for use by many threads.
 */
public final class KeywardCredentials {
    /** How long a read secret is used before it is read again, unless {@link Builder#maxAge} says otherwise. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(15);
    /** The least time between two reads of Secrets Manager after a refusal or a failed read. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(30);
    /** How long past {@code maxAge} a secret is still used while Secrets Manager cannot be read. */
    public static final Duration DEFAULT_MAX_STALE = Duration.ofHours(24);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final SecretsManagerClient secretsManager;
    private final String secretId;
    private final Duration maxAge;
    private final Duration refreshInterval;
    private final Duration maxStale;
    private final InstantSource clock;
    private final Object lock = new Object();
    /** The last secret read; guarded by {@link #lock}. */
    private Cached cached;
    /** The read under way, shared by every thread that waits for it; guarded by {@link #lock}. */
    private CompletableFuture<Cached> reading;
    /** When the last read for a 401 started, successful or not; guarded by {@link #lock}. */
    private Instant lastRefusalRead;
    /** When the last read failed, if it did; guarded by {@link #lock}. */
    private Instant lastFailure;

    private KeywardCredentials(Builder builder) {
        this.secretsManager = builder.secretsManager != null ? builder.secretsManager : SecretsManagerClient.create();
        this.secretId = builder.secretId != null ? builder.secretId
                : "keyward/" + requireId(builder.accountId, "accountId") + "/" + requireId(builder.keyId, "keyId");
        this.maxAge = Objects.requireNonNull(builder.maxAge, "maxAge");
        this.refreshInterval = Objects.requireNonNull(builder.refreshInterval, "refreshInterval");
        this.maxStale = Objects.requireNonNull(builder.maxStale, "maxStale");
        this.clock = Objects.requireNonNull(builder.clock, "clock");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The key's Client ID, read (or read again) as {@link #authorizationHeader} would. */
    public String clientId() {
        return current().clientId;
    }

    /** {@code Basic base64(clientId:clientSecret)}: the value of the {@code Authorization} header. */
    public String authorizationHeader() {
        return current().header;
    }

    /** Reads the secret again now, whatever its age (sharing a read already under way). */
    public void refresh() {
        Flight flight;
        synchronized (lock) {
            flight = joinOrStart();
        }
        land(flight);
    }

    /**
     * Sends a request with the credentials; when the answer's status (as {@code status} reads it)
     * is 401, reads the secret again (at most once per {@code refreshInterval}) and, if it
     * changed, sends the request once more with it. The second answer is returned whatever it
     * is: credentials refused twice are not a rotation. Any other status is returned at once.
     */
    public <R> R call(AuthorizedCall<R> call, ToIntFunction<R> status) throws IOException, InterruptedException {
        Cached used = current();
        R response = call.send(used.header);
        if (status.applyAsInt(response) != 401) {
            return response;
        }
        Cached reread = afterRefusal(used);
        if (reread.header.equals(used.header)) {
            return response;
        }
        return call.send(reread.header);
    }

    /** {@link #call} for the JDK's HTTP client: sets the {@code Authorization} header on each attempt. */
    public <T> HttpResponse<T> send(HttpClient http, HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        return call(header -> http.send(request.copy().setHeader("Authorization", header).build(), body),
                HttpResponse::statusCode);
    }

    /** One attempt at the protected API with this {@code Authorization} header value. */
    @FunctionalInterface
    public interface AuthorizedCall<R> {
        R send(String authorizationHeader) throws IOException, InterruptedException;
    }

    @Override
    public String toString() {
        return "KeywardCredentials[secret=" + secretId + "]";
    }

    /** The cached secret while younger than maxAge; else a new one, or the old one while reads fail. */
    private Cached current() {
        Flight flight;
        synchronized (lock) {
            Instant now = clock.instant();
            if (cached != null && now.isBefore(cached.readAt.plus(maxAge))) {
                return cached;
            }
            if (cached != null && usable(cached, now) && (reading != null || failedRecently(now))) {
                // another thread is reading, or a read failed a moment ago: no waiting, no hammering
                return cached;
            }
            flight = joinOrStart();
        }
        try {
            return land(flight);
        } catch (RuntimeException e) {
            synchronized (lock) {
                if (cached != null && usable(cached, clock.instant())) {
                    return cached;
                }
            }
            throw e;
        }
    }

    /** After a 401 with {@code used}: a newer secret if there is one, read at most once per interval. */
    private Cached afterRefusal(Cached used) {
        Flight flight;
        synchronized (lock) {
            Instant now = clock.instant();
            if (cached != used) {
                return cached; // another thread read since
            }
            if (reading == null && lastRefusalRead != null && now.isBefore(lastRefusalRead.plus(refreshInterval))) {
                return used;
            }
            lastRefusalRead = now;
            flight = joinOrStart();
        }
        try {
            return land(flight);
        } catch (RuntimeException e) {
            return used; // the caller gets the 401 it had; a later call tries again
        }
    }

    private boolean usable(Cached secret, Instant now) {
        return now.isBefore(secret.readAt.plus(maxAge).plus(maxStale));
    }

    private boolean failedRecently(Instant now) {
        return lastFailure != null && now.isBefore(lastFailure.plus(refreshInterval));
    }

    /** One read of Secrets Manager, and whether this thread is the one to make it. */
    private record Flight(CompletableFuture<Cached> result, boolean leader) {
    }

    /** The read under way, or a new one that the calling thread makes once it has left the lock. */
    private Flight joinOrStart() {
        if (reading != null) {
            return new Flight(reading, false);
        }
        reading = new CompletableFuture<>();
        return new Flight(reading, true);
    }

    /** Makes the read if this thread leads it (outside the lock), then waits for its result. */
    private Cached land(Flight flight) {
        if (flight.leader()) {
            Cached fresh = null;
            Throwable failure = null;
            try {
                fresh = read();
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            synchronized (lock) {
                reading = null;
                if (failure == null) {
                    cached = fresh;
                    lastFailure = null;
                } else {
                    lastFailure = clock.instant();
                }
            }
            if (failure == null) {
                flight.result().complete(fresh);
            } else {
                flight.result().completeExceptionally(failure);
            }
        }
        try {
            return flight.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** One GetSecretValue, outside the lock. */
    private Cached read() {
        String json = secretsManager.getSecretValue(r -> r.secretId(secretId)).secretString();
        JsonNode secret = JsonNode.parser().parse(json);
        String clientId = member(secret, "clientId");
        String clientSecret = member(secret, "clientSecret");
        String header = "Basic " + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        return new Cached(clientId, header, clock.instant());
    }

    private String member(JsonNode secret, String name) {
        if (!secret.isObject() || !secret.asObject().containsKey(name) || !secret.asObject().get(name).isString()) {
            // the value itself is never part of the message
            throw new IllegalStateException("The secret " + secretId + " has no \"" + name + "\" string");
        }
        return secret.asObject().get(name).asString();
    }

    private static String requireId(String value, String name) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be set to a Keyward " + name + " (letters, digits, _ and -)");
        }
        return value;
    }

    private record Cached(String clientId, String header, Instant readAt) {
        @Override
        public String toString() {
            return "Cached[clientId=" + clientId + ", readAt=" + readAt + "]";
        }
    }

    /** Which key, and how to reach Secrets Manager. */
    public static final class Builder {
        private SecretsManagerClient secretsManager;
        private String accountId;
        private String keyId;
        private String secretId;
        private Duration maxAge = DEFAULT_MAX_AGE;
        private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
        private Duration maxStale = DEFAULT_MAX_STALE;
        private InstantSource clock = Clock.systemUTC();

        private Builder() {
        }

        /** The client to read with; by default {@code SecretsManagerClient.create()} (the default region and credentials chain). */
        public Builder secretsManager(SecretsManagerClient secretsManager) {
            this.secretsManager = secretsManager;
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        public Builder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        /** The secret's full ARN instead of account and key: for a secret in another AWS account. */
        public Builder secretArn(String secretArn) {
            this.secretId = Objects.requireNonNull(secretArn, "secretArn");
            return this;
        }

        /** How long a read secret is used before it is read again (a rotation's grace period should be longer). */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = maxAge;
            return this;
        }

        /** The least time between two reads for a 401, or after a read that failed (30 seconds by default). */
        public Builder refreshInterval(Duration refreshInterval) {
            this.refreshInterval = refreshInterval;
            return this;
        }

        /**
         * How long past {@code maxAge} the secret read last is still used while Secrets Manager
         * cannot be read (24 hours by default); after that its failures are thrown.
         */
        public Builder maxStale(Duration maxStale) {
            this.maxStale = maxStale;
            return this;
        }

        Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        public KeywardCredentials build() {
            return new KeywardCredentials(this);
        }
    }
}
