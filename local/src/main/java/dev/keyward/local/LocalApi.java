package dev.keyward.local;

import dev.keyward.invoke.StreamHandlers;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.keyward.aws.AwsClients;
import dev.keyward.runtime.AwsSettings;
import dev.keyward.runtime.Keyward;
import dev.keyward.aws.KeysTable;
import dev.keyward.handler.Functions;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.RouteScopes;
import dev.keyward.runtime.Services;
import dev.keyward.runtime.Wiring;
import dev.keyward.runtime.WithWebhooks;
import dev.keyward.core.WebhookDelivery;
import dev.keyward.core.WebhookPorts;
import dev.keyward.events.EventSink;
import dev.keyward.handler.DeliverWebhooksHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keyward on 127.0.0.1: the HTTP API, routed to the same handler classes Lambda runs, over a
 * {@link Services} built as in Lambda but for the endpoint in {@code AWS_ENDPOINT_URL} (moto,
 * LocalStack, Floci or AWS itself); the admin console at {@code /}; and the events every change
 * writes, printed and delivered to the accounts' webhook endpoints along the deployed path
 * ({@link LocalEvents}, {@link LocalWebhooks}).
 *
 * <p>Settings, from the environment: {@code AWS_REGION}, {@code KEYS_TABLE},
 * {@code AWS_ENDPOINT_URL} and credentials as the functions read them; {@code KEYWARD_HOST}
 * (127.0.0.1; another than a loopback address only with {@code KEYWARD_ALLOW_REMOTE=1}, and never
 * with AWS itself), {@code KEYWARD_PORT} (3000, 0 for any free port), {@code KEYWARD_MAX_CONNECTIONS}
 * (128), {@code KEYWARD_ROOT} (the repository, where infra/ is), {@code KEYWARD_STAGE} (local), {@code KEYWARD_CALLER} (the IAM
 * principal the events name), {@code KEYWARD_CONSOLE_DIR} (serve the console from a folder).
 */
public final class LocalApi {
    private LocalApi() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        Map<String, String> env = System.getenv();
        try {
            AwsSettings settings = AwsSettings.fromEnvironment();
            String host = env.getOrDefault("KEYWARD_HOST", "127.0.0.1");
            String refusal = bindRefusal(host, "1".equals(env.get("KEYWARD_ALLOW_REMOTE")), settings.endpoint().isEmpty());
            if (refusal != null) {
                System.err.println("local-api: " + refusal);
                System.exit(2);
            }
            AwsClients clients = new AwsClients(settings);
            KeysTable.createIfMissing(clients.dynamoDb(), settings.tableName());

            Path root = Path.of(env.getOrDefault("KEYWARD_ROOT", ".")).toAbsolutePath().normalize();
            RouteTable routes = RouteTable.load(root.resolve("infra/openapi.yaml"), root.resolve("infra/template.yaml"));
            ProxyEvents events = new ProxyEvents(env.getOrDefault("KEYWARD_STAGE", "local"),
                    blankToNull(env.getOrDefault("KEYWARD_CALLER", "arn:aws:iam::" + ProxyEvents.ACCOUNT_ID
                            + ":user/local-developer")),
                    routes.binaryMediaTypes());
            Wiring services = Keyward.services(settings, clients, Clock.systemUTC(), LocalScanner.signatures(env, root),
                    routeScopes(root.resolve("infra/template.yaml"), env));
            KeyVerifier verifier = services.verifier();
            // the local API, and only it, lets webhook endpoints be on this machine (loopback, http too);
            // every delivery attempt, the admin's test events too, is printed as it is recorded
            WebhookPorts webhookPorts = printingDeliveries(Keyward.webhooks(settings, clients, Clock.systemUTC(), true),
                    System.out);
            Services withWebhooks = new WithWebhooks(services, webhookPorts, null);
            Gateway gateway = new Gateway(routes, events, handlersOver(withWebhooks),
                    writingUsageAtOnce(authorizersOver(services), verifier));
            Console console = new Console(Optional.ofNullable(blankToNull(env.get("KEYWARD_CONSOLE_DIR")))
                    .map(Path::of).orElse(null));

            int port = Integer.parseInt(env.getOrDefault("KEYWARD_PORT", "3000"));
            LocalServer server = new LocalServer(gateway, console, host, port,
                    Integer.parseInt(env.getOrDefault("KEYWARD_MAX_CONNECTIONS", "128")),
                    !"0".equals(env.get("KEYWARD_LOG_REQUESTS")));
            server.start();
            // the deployed delivery path in the emulator: the delivery queue, fed as the stack's rule
            // feeds it, and the delivery function over the same webhook ports as the routes
            LocalWebhooks webhooks = LocalWebhooks.start(settings, clients,
                    LocalWebhooks.Plan.of(CfnYaml.read(root.resolve("infra/template.yaml"))),
                    queueUrl -> new DeliverWebhooksHandler(webhookPorts, Keyward.deliveryQueue(clients, queueUrl)),
                    System.out);
            // the events every change writes, from the table's stream to the console, then to the queue
            List<EventSink> sinks = new ArrayList<>(List.of(LocalEvents.console(System.out)));
            if (webhooks != null) {
                sinks.add(webhooks.sink());
            }
            // with PERSIST=1, run.sh names the file of the events earlier runs published
            LocalEvents published = LocalEvents.start(settings, clients.dynamoDb(), sinks,
                    Optional.ofNullable(blankToNull(env.get("KEYWARD_PUBLISHED_EVENTS"))).map(Path::of).orElse(null),
                    System.out);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (published != null) {
                    published.close();
                }
                if (webhooks != null) {
                    webhooks.close();
                }
                server.close();
                verifier.flushUsage();
                clients.close();
            }, "local-api-shutdown"));

            String base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
            System.out.print(banner(base, settings, webhooks == null ? null : webhooks.names(), routes,
                    (System.nanoTime() - start) / 1_000_000));
            System.out.flush();
        } catch (Exception e) {
            System.err.println("local-api: could not start: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Why the API must not listen on {@code host}, or null when it may. The local API checks no
     * signature: anyone who reaches it is an admin of every account. So it listens on a loopback
     * address unless the user asks for another with {@code KEYWARD_ALLOW_REMOTE=1}, and never on
     * another when it works on AWS itself, where the secrets are real.
     */
    static String bindRefusal(String host, boolean allowRemote, boolean realAws) {
        boolean loopback;
        try {
            loopback = java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return "HOST " + host + " is not an address of this machine.";
        }
        if (loopback) {
            return null;
        }
        if (realAws) {
            return "refusing to listen on " + host + " while working on AWS itself (EMULATOR=none): the local API "
                    + "checks no signature, so anyone who reaches it could read and delete every account's real "
                    + "secrets. Use a loopback HOST (127.0.0.1).";
        }
        if (!allowRemote) {
            return "refusing to listen on " + host + ", which other machines can reach: the local API checks no "
                    + "signature. Set ALLOW_REMOTE=1 to do it anyway (never with EMULATOR=none).";
        }
        return null;
    }

    /** Builds each Lambda authorizer openapi.yaml names as {@link Functions} declares it, over {@code services}. */
    /**
     * A deployed authorizer writes a key's usage counts at most once a minute, and not at its first
     * check; on a developer's machine each check's counts are written at once, so that the console's
     * usage and "last used" show a request as soon as it was made.
     */
    static Function<String, RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1>> writingUsageAtOnce(
            Function<String, RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1>> authorizers,
            KeyVerifier verifier) {
        return className -> {
            RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer = authorizers.apply(className);
            return (event, context) -> {
                try {
                    return authorizer.handleRequest(event, context);
                } finally {
                    verifier.flushUsage();
                }
            };
        };
    }

    /** {@code ports} whose store prints each delivery attempt to {@code out} ({@link PrintedDeliveries}). */
    static WebhookPorts printingDeliveries(WebhookPorts ports, java.io.PrintStream out) {
        WebhookDelivery schedule = new WebhookDelivery(ports);
        return new WebhookPorts(new PrintedDeliveries(ports.store(), schedule::waitAfter, out), ports.secrets(),
                ports.urls(), ports.sender(), ports.clock(), ports.log());
    }

    static Function<String, RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1>> authorizersOver(
            Services services) {
        return className -> StreamHandlers.authorizer(Functions.byHandler(className).over(services));
    }

    /**
     * The routes each scope opens, as the deployed authorizer gets them: {@code ROUTE_SCOPES} if
     * set, else the default of template.yaml's RouteScopes parameter.
     */
    static RouteScopes routeScopes(Path template, Map<String, String> env) throws java.io.IOException {
        String json = blankToNull(env.get("ROUTE_SCOPES"));
        if (json == null && CfnYaml.read(template).get("Parameters") instanceof Map<?, ?> parameters
                && parameters.get("RouteScopes") instanceof Map<?, ?> parameter) {
            json = String.valueOf(parameter.get("Default"));
        }
        if (json == null) {
            throw new IllegalStateException("template.yaml has no RouteScopes parameter; set ROUTE_SCOPES");
        }
        return Keyward.routeScopes(json);
    }

    /**
     * Builds each handler template.yaml names as {@link Functions} declares it, over {@code services}.
     * A handler whose services were not given answers 500 when called, so a gateway for some
     * routes can be built without the others'.
     */
    static Function<String, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> handlersOver(
            Services services) {
        return className -> {
            Functions function;
            try {
                function = Functions.byHandler(className);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("template.yaml names handler " + className + ", which Keyward does not deploy", e);
            }
            try {
                return StreamHandlers.proxy(function.over(services));
            } catch (IllegalStateException notConfigured) {
                return (event, context) -> {
                    throw new IllegalStateException(className + " is not configured in this local API", notConfigured);
                };
            }
        };
    }

    static String banner(String base, AwsSettings settings, LocalWebhooks.Names webhooks, RouteTable routes,
                         long startMillis) {
        String aws = settings.endpoint().map(Object::toString).orElse("AWS (" + settings.region() + ")");
        String sample = base + "/accounts/acme/keys";
        StringBuilder text = new StringBuilder();
        text.append("\nKeyward local API is ready (").append(startMillis).append(" ms)\n");
        text.append("  API      ").append(base).append('\n');
        text.append("  Console  ").append(base).append("/\n");
        text.append("  AWS      ").append(aws).append(", table ").append(settings.tableName())
                .append(", region ").append(settings.region()).append('\n');
        if (webhooks != null) {
            text.append("  Webhooks queue ").append(webhooks.queue())
                    .append(", endpoints on http://127.0.0.1 allowed\n");
        }
        text.append("\nRoutes (infra/openapi.yaml + infra/template.yaml):\n");
        routes.toString().lines().forEach(line -> text.append("  ").append(line).append('\n'));
        text.append("\nTry it:\n");
        text.append("  curl -si -w '\\n' -X POST ").append(sample)
                .append(" -H 'Content-Type: application/json' -d '{\"name\": \"Warehouse Dashboard\"}'\n");
        text.append("  curl -s -w '\\n' ").append(sample).append('\n');
        text.append("  local/report-leak.sh <clientSecret>   # a signed secret-scanning report, as GitHub sends it\n");
        text.append("\nPress Ctrl-C to stop.\n");
        return text.toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
