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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * For priming the found-item paths through the SDK: Keyward's real adapters over SDK clients
 * whose HTTP calls {@link CannedAws} answers from memory, holding one key created through them
 * (its key and client items, its secret). A request through a handler over these services reads
 * a key, a client record and a secret that exist, with the SDK unmarshalling DynamoDB's and
 * Secrets Manager's answers, and nothing reaches AWS. The clients sign with made-up credentials.
 */
final class CannedServices implements Services {
    private static final RouteScopes ROUTES = RouteScopes.of(Map.of(RouteScopes.EVERY_KEY, List.of("GET /whoami")));

    private final AwsClients clients;
    private final KeyPorts ports;
    private final KeyVerifier verifier;
    private final KeyWithSecret key;

    CannedServices(AwsSettings settings) {
        AwsSettings canned = new AwsSettings(settings.region(), settings.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("KEYWARDPRIMING", "priming")),
                settings.tableName(), settings.keyLimit(), settings.kmsKeyId());
        this.clients = new AwsClients(canned, List.of(), AwsClients.Timeouts.FUNCTIONS, new CannedAws());
        this.ports = Keyward.ports(canned, clients, Clock.systemUTC());
        this.verifier = Keyward.verifier(canned, clients, Clock.systemUTC());
        this.key = new KeyCreation(ports).create(KeyPriming.PRIMING_ACCOUNT, new NewKey("Priming", null, new TreeSet<>()), null);
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
