package dev.keyward.aws;

import dev.keyward.core.EventLog;
import dev.keyward.core.KeyDeletion;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyUsage;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.RouteScopes;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import dev.keyward.core.LeakResponder;
import dev.keyward.core.UsageRecorder;
import java.time.Clock;

/**
 * The composition root: the one {@link KeyPorts} the key use cases of this Lambda sandbox are
 * built from (or, in the authorizer, the one {@link KeyVerifier}), built from the environment during init. An init
 * failure propagates, so Lambda starts a fresh sandbox rather than serving from a half-built one.
 */
public final class Keyward {
    private Keyward() {
    }

    public static KeyPorts ports() {
        return PortsHolder.PORTS;
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

    /** What answers secret-scanning reports, over real AWS clients, deleting keys over {@code keys}. */
    public static LeakResponder leakResponder(AwsSettings settings, AwsClients clients, KeyPorts keys, Clock clock) {
        return new LeakResponder(new KeyDeletion(keys), new DynamoClientStore(clients.dynamoDb(), settings.tableName()),
                new DynamoLeakStore(clients.dynamoDb(), settings.tableName()),
                new DynamoAuditTrail(clients.dynamoDb(), settings.tableName()), clock, new JsonEventLog());
    }

    /** The key use cases' ports over real AWS clients, for the local API and the integration tests. */
    public static KeyPorts ports(AwsSettings settings, AwsClients clients, Clock clock) {
        return new KeyPorts(
                new DynamoKeyStore(clients.dynamoDb(), settings.tableName()),
                new DynamoClientStore(clients.dynamoDb(), settings.tableName()),
                new SecretsManagerVault(clients::secretsManager, settings.kmsKeyId()),
                new DynamoAuditTrail(clients.dynamoDb(), settings.tableName()),
                new DynamoIdempotencyStore(clients.dynamoDb(), settings.tableName()),
                clock, settings.keyLimit(), new JsonEventLog());
    }

    /** The authorizer's verifier over real AWS clients: DynamoDB only, never Secrets Manager. */
    public static KeyVerifier verifier(AwsSettings settings, AwsClients clients, Clock clock) {
        EventLog log = new JsonEventLog();
        return new KeyVerifier(new DynamoClientStore(clients.dynamoDb(), settings.tableName()),
                new UsageRecorder(new DynamoUsageStore(clients.dynamoDb(), settings.tableName()), log), clock, log);
    }

    /**
     * For priming: every kind of DynamoDB write this sandbox's key use cases make, each refused by a
     * condition, so nothing is written.
     */
    public static Runnable serviceWritesRefused() {
        return new RefusedWrites(PortsHolder.CLIENTS.dynamoDb(), PortsHolder.SETTINGS.tableName());
    }

    /** The same for the authorizer's sandbox (its one write records when a key was last used). */
    public static Runnable verifierWritesRefused() {
        return new RefusedWrites(VerifierHolder.CLIENTS.dynamoDb(), VerifierHolder.SETTINGS.tableName());
    }

    private static final class PortsHolder {
        static final AwsSettings SETTINGS = AwsSettings.fromEnvironment();
        static final AwsClients CLIENTS = new AwsClients(SETTINGS);
        static final KeyPorts PORTS = ports(SETTINGS, CLIENTS, Clock.systemUTC());
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
            RESPONDER = leakResponder(settings, clients, ports(settings, clients, Clock.systemUTC()), Clock.systemUTC());
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
