package dev.keyward.client;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
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
 * {@link #authorizationHeader} then answers from memory. When the protected API answers 401 or
 * 403, the key was probably rotated: {@link #call} re-reads the secret once and retries with
 * it, and gives up (answering that second response) if the API still refuses. The secret is
 * never logged, and {@link #toString} leaves it out.
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
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final SecretsManagerClient secretsManager;
    private final String secretId;
    private final Duration maxAge;
    private final Clock clock;
    private Cached cached;

    private KeywardCredentials(Builder builder) {
        this.secretsManager = builder.secretsManager != null ? builder.secretsManager : SecretsManagerClient.create();
        this.secretId = builder.secretId != null ? builder.secretId
                : "keyward/" + requireId(builder.accountId, "accountId") + "/" + requireId(builder.keyId, "keyId");
        this.maxAge = Objects.requireNonNull(builder.maxAge, "maxAge");
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

    /** Reads the secret again now, whatever its age: after a rotation. */
    public void refresh() {
        read();
    }

    /**
     * Sends a request with the credentials; when the answer's status (as {@code status} reads it)
     * is 401 or 403, reads the secret again and sends it once more with the new credentials. The
     * second answer is returned whatever it is: credentials that fail twice are not a rotation.
     */
    public <R> R call(AuthorizedCall<R> call, ToIntFunction<R> status) throws IOException, InterruptedException {
        Cached used = current();
        R response = call.send(used.header);
        if (!refused(status.applyAsInt(response))) {
            return response;
        }
        Cached reread = refreshUnlessNewer(used);
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

    private static boolean refused(int status) {
        return status == 401 || status == 403;
    }

    private synchronized Cached current() {
        if (cached == null || !clock.instant().isBefore(cached.readAt.plus(maxAge))) {
            return read();
        }
        return cached;
    }

    /** Reads again, unless another thread already did since {@code used} was read. */
    private synchronized Cached refreshUnlessNewer(Cached used) {
        return cached != used && cached != null ? cached : read();
    }

    private synchronized Cached read() {
        String json = secretsManager.getSecretValue(r -> r.secretId(secretId)).secretString();
        JsonNode secret = JsonNode.parser().parse(json);
        String clientId = member(secret, "clientId");
        String clientSecret = member(secret, "clientSecret");
        String header = "Basic " + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        cached = new Cached(clientId, header, clock.instant());
        return cached;
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
        private Clock clock = Clock.systemUTC();

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

        Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public KeywardCredentials build() {
            return new KeywardCredentials(this);
        }
    }
}
