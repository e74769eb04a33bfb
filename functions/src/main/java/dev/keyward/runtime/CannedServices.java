package dev.keyward.runtime;

import dev.keyward.aws.AwsClients;
import dev.keyward.core.KeyCreation;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyPriming;
import dev.keyward.core.KeyUsage;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.KeyWithSecret;
import dev.keyward.core.LeakResponder;
import dev.keyward.core.NewKey;
import dev.keyward.core.ReportSignatures;
import dev.keyward.core.RouteScopes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * For priming the found-item paths through the SDK: Keyward's real adapters over SDK clients
 * whose calls {@link CannedAws} answers from memory, holding one key created through them (its
 * key and client items, its secret). A request through a handler over these services reads a
 * key, a client record and a secret that exist, with the SDK unmarshalling DynamoDB's and
 * Secrets Manager's answers, and nothing reaches AWS. The clients sign with made-up credentials.
 *
 * <p>Where the JDK's HTTP server is at hand, the clients are the functions' own (the SDK's
 * URLConnection client) and the answers come over HTTP from {@link LoopbackAws} on 127.0.0.1, so
 * the HTTP client's code is walked as often as the SDK's; otherwise {@link CannedAws} answers
 * them as the HTTP client itself. {@link #close} stops the server and closes the clients.
 */
final class CannedServices implements Services, AutoCloseable {
    private static final RouteScopes ROUTES = RouteScopes.of(Map.of(RouteScopes.EVERY_KEY, List.of("GET /whoami")));

    private final LoopbackAws loopback;
    private final AwsClients clients;
    private final KeyPorts ports;
    private final KeyVerifier verifier;
    private final KeyWithSecret key;

    CannedServices(AwsSettings settings) {
        this(settings, httpServerAtHand());
    }

    /**
     * Whether this JVM has the JDK's HTTP server ({@code jdk.httpserver}), which {@link LoopbackAws}
     * is built on; asked without touching that class, which could not be loaded without it.
     */
    static boolean httpServerAtHand() {
        return ModuleLayer.boot().findModule("jdk.httpserver").isPresent();
    }

    /** @param overHttp answer over HTTP on the loopback interface (needs the JDK's HTTP server) */
    CannedServices(AwsSettings settings, boolean overHttp) {
        CannedAws answers = new CannedAws();
        this.loopback = overHttp ? startLoopback(answers) : null;
        AwsSettings canned = new AwsSettings(settings.region(),
                loopback == null ? settings.endpoint() : Optional.of(loopback.endpoint()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("KEYWARDPRIMING", "priming")),
                settings.tableName(), settings.keyLimit(), settings.kmsKeyId());
        this.clients = loopback == null ? new AwsClients(canned, List.of(), AwsClients.Timeouts.FUNCTIONS, answers)
                : new AwsClients(canned);
        this.ports = Keyward.ports(canned, clients, Clock.systemUTC());
        this.verifier = Keyward.verifier(canned, clients, Clock.systemUTC());
        this.key = new KeyCreation(ports).create(KeyPriming.PRIMING_ACCOUNT, new NewKey("Priming", null, new TreeSet<>()), null);
    }

    private static LoopbackAws startLoopback(CannedAws answers) {
        try {
            return LoopbackAws.start(answers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where {@link LoopbackAws} answers, when the answers come over HTTP rather than from the HTTP client itself. */
    Optional<URI> loopbackEndpoint() {
        return Optional.ofNullable(loopback).map(LoopbackAws::endpoint);
    }

    /** The id of the key that exists here. */
    String keyId() {
        return key.key().id();
    }

    /** An Authorization header with the credentials of the key that exists here. */
    String authorization() {
        String credentials = key.key().clientId() + ":" + key.clientSecret();
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        clients.close();
        if (loopback != null) {
            loopback.close();
        }
    }

    @Override
    public KeyPorts ports() {
        return ports;
    }

    @Override
    public KeyVerifier verifier() {
        return verifier;
    }

    @Override
    public RouteScopes routeScopes() {
        return ROUTES;
    }

    @Override
    public KeyUsage keyUsage() {
        throw new UnsupportedOperationException("usage is not primed through the SDK");
    }

    @Override
    public LeakResponder leakResponder() {
        throw new UnsupportedOperationException("leak reports are not primed through the SDK");
    }

    @Override
    public ReportSignatures scanningKeys() {
        throw new UnsupportedOperationException("leak reports are not primed through the SDK");
    }
}
