package dev.keyward.runtime;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.aws.AwsClients;
import dev.keyward.aws.DynamoAuditTrail;
import dev.keyward.aws.DynamoClientStore;
import dev.keyward.aws.DynamoIdempotencyStore;
import dev.keyward.aws.DynamoKeyStore;
import dev.keyward.aws.DynamoLeakStore;
import dev.keyward.aws.DynamoUsageStore;
import dev.keyward.aws.SecretsManagerVault;
import dev.keyward.aws.DynamoWebhookStore;
import dev.keyward.aws.HttpWebhookSender;
import dev.keyward.aws.SecretsManagerWebhookSecrets;
import dev.keyward.aws.SqsDeliveryQueue;
import dev.keyward.core.DeliveryQueue;
import dev.keyward.core.HostResolver;
import dev.keyward.core.WebhookPorts;
import dev.keyward.core.WebhookUrls;
import dev.keyward.http.WebhookMessages;
import dev.keyward.core.EventLog;
import dev.keyward.core.KeyDeletion;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyUsage;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.LeakResponder;
import dev.keyward.core.ReportSignatures;
import dev.keyward.core.RouteScopes;
import dev.keyward.core.UsageRecorder;
import dev.keyward.telemetry.JsonEventLog;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * The composition root. In a Lambda sandbox, {@link #start} gives a function's handler the
 * {@link Services} built from the environment, each when first asked for and once per sandbox,
 * and registers the function's priming. An init failure propagates, so Lambda starts a fresh
 * sandbox rather than serving from a half-built one. The other methods build the same services
 * over given clients, for the local API and the integration tests.
 */
public final class Keyward {
    private static final Services SANDBOX = new Sandbox();

    private Keyward() {
    }

    /** For a function's no-argument constructor, the one Lambda calls: this sandbox's services, its priming registered. */
    public static Services start(Deployed function) {
        if (function.priming() != null) {
            Priming.register(function, SANDBOX, () -> new RefusedWrites(AwsHolder.CLIENTS.dynamoDb(),
                    AwsHolder.SETTINGS.tableName()).run(), () -> new CannedServices(AwsHolder.SETTINGS));
        }
        return SANDBOX;
    }

    /** Every service over real AWS clients, for the local API. */
    public static Wiring services(AwsSettings settings, AwsClients clients, Clock clock, ReportSignatures scanningKeys,
                                  RouteScopes routeScopes) {
        KeyPorts ports = ports(settings, clients, clock);
        return new Wiring(ports, keyUsage(settings, clients, clock), leakResponder(settings, clients, ports, clock),
                scanningKeys, verifier(settings, clients, clock), routeScopes);
    }

    /** Parses a route scopes document; see {@link RouteScopes}. */
    public static RouteScopes routeScopes(String json) {
        try {
            return RouteScopes.of(JSON.std.anyFrom(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("The route scopes are not valid JSON", e);
        }
    }

    /** Usage counts over real AWS clients. */
    public static KeyUsage keyUsage(AwsSettings settings, AwsClients clients, Clock clock) {
        return new KeyUsage(new DynamoKeyStore(clients.dynamoDb(), settings.tableName()),
                new DynamoUsageStore(clients.dynamoDb(), settings.tableName()), clock);
    }

    /** What answers secret-scanning reports, over real AWS clients, deleting keys over {@code keys}. */
    public static LeakResponder leakResponder(AwsSettings settings, AwsClients clients, KeyPorts keys, Clock clock) {
        return new LeakResponder(new KeyDeletion(keys), new DynamoClientStore(clients.dynamoDb(), settings.tableName()),
                new DynamoLeakStore(clients.dynamoDb(), settings.tableName()), clock, new JsonEventLog());
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

    /**
     * The webhook use cases' ports over real AWS clients.
     *
     * @param allowLoopback whether endpoints on loopback addresses (and plain http to them) are
     *                      allowed: the local API's choice, never a deployed function's
     */
    public static WebhookPorts webhooks(AwsSettings settings, AwsClients clients, Clock clock, boolean allowLoopback) {
        return new WebhookPorts(new DynamoWebhookStore(clients.dynamoDb(), settings.tableName()),
                new SecretsManagerWebhookSecrets(clients::secretsManager, settings.kmsKeyId()),
                new WebhookUrls(HostResolver.SYSTEM, allowLoopback), new HttpWebhookSender(), clock, new JsonEventLog());
    }

    /** The webhook delivery queue at {@code queueUrl}. */
    public static DeliveryQueue deliveryQueue(AwsClients clients, String queueUrl) {
        return new SqsDeliveryQueue(clients::sqs, queueUrl, WebhookMessages::encode);
    }

    /**
     * The authorizer's verifier over real AWS clients: DynamoDB only, never Secrets Manager. Its
     * usage counts are written on the checking thread, so a caller sees them once the check has
     * returned: for the local API and the integration tests.
     */
    public static KeyVerifier verifier(AwsSettings settings, AwsClients clients, Clock clock) {
        return verifier(settings, clients, clock, Runnable::run);
    }

    /** The same, its usage counts written by {@code usageWriter} (in a sandbox, {@link #backgroundWriter}). */
    public static KeyVerifier verifier(AwsSettings settings, AwsClients clients, Clock clock, Executor usageWriter) {
        EventLog log = new JsonEventLog();
        return new KeyVerifier(new DynamoClientStore(clients.dynamoDb(), settings.tableName()),
                new UsageRecorder(new DynamoUsageStore(clients.dynamoDb(), settings.tableName()), log, usageWriter),
                clock, log);
    }

    /**
     * One daemon thread that writes usage counts, so that no check waits on a write. Lambda freezes
     * the sandbox once the answer is sent: a write still under way then goes on at the next thaw
     * (and a failed one keeps its counts for the next).
     */
    static Executor backgroundWriter() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "usage-writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** This sandbox's services, each built from the environment on first use. */
    private static final class Sandbox implements Services {
        @Override
        public KeyPorts ports() {
            return PortsHolder.PORTS;
        }

        @Override
        public KeyUsage keyUsage() {
            return UsageHolder.USAGE;
        }

        @Override
        public LeakResponder leakResponder() {
            return LeakHolder.RESPONDER;
        }

        @Override
        public ReportSignatures scanningKeys() {
            return ScanningKeys.fromEnvironment();
        }

        @Override
        public KeyVerifier verifier() {
            return VerifierHolder.VERIFIER;
        }

        /**
         * The routes each scope opens, from the JSON in {@code ROUTE_SCOPES} (the stack parameter
         * RouteScopes). Missing or invalid, it fails the sandbox's start: an authorizer that cannot
         * tell what a key may do allows nothing.
         */
        @Override
        public RouteScopes routeScopes() {
            return RouteScopesHolder.ROUTES;
        }

        @Override
        public WebhookPorts webhooks() {
            return WebhooksHolder.WEBHOOKS;
        }

        /** The queue named by {@code WEBHOOK_QUEUE_URL}, which only the delivery function is given. */
        @Override
        public DeliveryQueue deliveryQueue() {
            return DeliveryQueueHolder.QUEUE;
        }
    }

    private static final class WebhooksHolder {
        // deployed: only public addresses, over https
        static final WebhookPorts WEBHOOKS = webhooks(AwsHolder.SETTINGS, AwsHolder.CLIENTS, Clock.systemUTC(), false);
    }

    private static final class DeliveryQueueHolder {
        static final DeliveryQueue QUEUE;

        static {
            String url = System.getenv("WEBHOOK_QUEUE_URL");
            if (url == null || url.isBlank()) {
                throw new IllegalStateException("Environment variable WEBHOOK_QUEUE_URL must be set");
            }
            QUEUE = deliveryQueue(AwsHolder.CLIENTS, url.strip());
        }
    }

    private static final class AwsHolder {
        static final AwsSettings SETTINGS = AwsSettings.fromEnvironment();
        static final AwsClients CLIENTS = new AwsClients(SETTINGS);
    }

    private static final class PortsHolder {
        static final KeyPorts PORTS = ports(AwsHolder.SETTINGS, AwsHolder.CLIENTS, Clock.systemUTC());
    }

    private static final class UsageHolder {
        static final KeyUsage USAGE = keyUsage(AwsHolder.SETTINGS, AwsHolder.CLIENTS, Clock.systemUTC());
    }

    private static final class LeakHolder {
        static final LeakResponder RESPONDER = leakResponder(AwsHolder.SETTINGS, AwsHolder.CLIENTS, PortsHolder.PORTS,
                Clock.systemUTC());
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

    private static final class VerifierHolder {
        static final KeyVerifier VERIFIER = verifier(AwsHolder.SETTINGS, AwsHolder.CLIENTS, Clock.systemUTC(),
                backgroundWriter());

        static {
            // best effort: Lambda signals a sandbox's end only to functions with an extension
            Runtime.getRuntime().addShutdownHook(new Thread(VERIFIER::flushUsage, "usage-flush"));
        }
    }
}
