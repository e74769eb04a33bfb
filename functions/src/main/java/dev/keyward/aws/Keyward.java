package dev.keyward.aws;

import dev.keyward.core.EventLog;
import dev.keyward.core.KeyService;
import dev.keyward.core.KeyUsage;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.RouteScopes;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import dev.keyward.core.LeakResponder;
import dev.keyward.core.UsageRecorder;
import java.time.Clock;

/**
 * The composition root: the one {@link KeyService} (or, in the authorizer, the one
 * {@link KeyVerifier}) of this Lambda sandbox, built from the environment during init. An init
 * failure propagates, so Lambda starts a fresh sandbox rather than serving from a half-built one.
 */
public final class Keyward {
    private Keyward() {
    }

    public static KeyService service() {
        return ServiceHolder.SERVICE;
    }

    public static KeyVerifier verifier() {
        return VerifierHolder.VERIFIER;
    }

    /**
     * The routes each scope opens, from the JSON in {@code ROUTE_SCOPES} (the stack parameter
     * RouteScopes), read once per sandbox. Missing or invalid, it fails the sandbox's start: an
     * authorizer that cannot tell what a key may do allows nothing.
     */
    public static RouteScopes routeScopes() {
        return RouteScopesHolder.ROUTES;
    }

    /** Parses a route scopes document; see {@link RouteScopes}. */
    public static RouteScopes routeScopes(String json) {
        try {
            return RouteScopes.of(JSON.std.anyFrom(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("The route scopes are not valid JSON", e);
        }
    }

    public static KeyUsage keyUsage() {
        return UsageHolder.USAGE;
    }

    /** Usage counts over real AWS clients. */
    public static KeyUsage keyUsage(AwsSettings settings, AwsClients clients, Clock clock) {
        return new KeyUsage(new DynamoKeyStore(clients.dynamoDb(), settings.tableName()),
                new DynamoUsageStore(clients.dynamoDb(), settings.tableName()), clock);
    }

    public static LeakResponder leakResponder() {
        return LeakHolder.RESPONDER;
    }

    /** What answers secret-scanning reports, over real AWS clients and {@code keys}' lifecycle. */
    public static LeakResponder leakResponder(AwsSettings settings, AwsClients clients, KeyService keys, Clock clock) {
        return new LeakResponder(keys, new DynamoClientStore(clients.dynamoDb(), settings.tableName()),
                new DynamoLeakStore(clients.dynamoDb(), settings.tableName()),
                new DynamoAuditTrail(clients.dynamoDb(), settings.tableName()), clock, new JsonEventLog());
    }

    /** A service over real AWS clients, for the local API and the integration tests. */
    public static KeyService service(AwsSettings settings, AwsClients clients, Clock clock) {
        return service(settings, clients, clock, new JsonEventLog());
    }

    private static KeyService service(AwsSettings settings, AwsClients clients, Clock clock, EventLog log) {
        return new KeyService(
                new DynamoKeyStore(clients.dynamoDb(), settings.tableName()),
                new DynamoClientStore(clients.dynamoDb(), settings.tableName()),
                new SecretsManagerVault(clients::secretsManager, settings.kmsKeyId()),
                new DynamoAuditTrail(clients.dynamoDb(), settings.tableName()),
                new DynamoIdempotencyStore(clients.dynamoDb(), settings.tableName()),
                clock, settings.keyLimit(), log);
    }

    /** The authorizer's verifier over real AWS clients: DynamoDB only, never Secrets Manager. */
    public static KeyVerifier verifier(AwsSettings settings, AwsClients clients, Clock clock) {
        EventLog log = new JsonEventLog();
        return new KeyVerifier(new DynamoClientStore(clients.dynamoDb(), settings.tableName()),
                new UsageRecorder(new DynamoUsageStore(clients.dynamoDb(), settings.tableName()), log), clock, log);
    }

    /**
     * For priming: every kind of DynamoDB write this sandbox's service makes, each refused by a
     * condition, so nothing is written.
     */
    public static Runnable serviceWritesRefused() {
        return new RefusedWrites(ServiceHolder.CLIENTS.dynamoDb(), ServiceHolder.SETTINGS.tableName());
    }

    /** The same for the authorizer's sandbox (its one write records when a key was last used). */
    public static Runnable verifierWritesRefused() {
        return new RefusedWrites(VerifierHolder.CLIENTS.dynamoDb(), VerifierHolder.SETTINGS.tableName());
    }

    private static final class ServiceHolder {
        static final AwsSettings SETTINGS = AwsSettings.fromEnvironment();
        static final AwsClients CLIENTS = new AwsClients(SETTINGS);
        static final KeyService SERVICE = service(SETTINGS, CLIENTS, Clock.systemUTC(), new JsonEventLog());
    }

    private static final class RouteScopesHolder {
        static final RouteScopes ROUTES;

        static {
            String json = System.getenv("ROUTE_SCOPES");
            if (json == null || json.isBlank()) {
                throw new IllegalStateException("Environment variable ROUTE_SCOPES must be set");
            }
            ROUTES = routeScopes(json);
        }
    }

    private static final class UsageHolder {
        static final KeyUsage USAGE;

        static {
            AwsSettings settings = AwsSettings.fromEnvironment();
            USAGE = keyUsage(settings, new AwsClients(settings), Clock.systemUTC());
        }
    }

    private static final class LeakHolder {
        static final LeakResponder RESPONDER;

        static {
            AwsSettings settings = AwsSettings.fromEnvironment();
            AwsClients clients = new AwsClients(settings);
            RESPONDER = leakResponder(settings, clients, service(settings, clients, Clock.systemUTC()), Clock.systemUTC());
        }
    }

    private static final class VerifierHolder {
        static final AwsSettings SETTINGS = AwsSettings.fromEnvironment();
        static final AwsClients CLIENTS = new AwsClients(SETTINGS);
        static final KeyVerifier VERIFIER = verifier(SETTINGS, CLIENTS, Clock.systemUTC());

        static {
            // best effort: Lambda signals a sandbox's end only to functions with an extension
            Runtime.getRuntime().addShutdownHook(new Thread(VERIFIER::flushUsage, "usage-flush"));
        }
    }
}
