package dev.keyward.it;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.keyward.aws.AwsClients;
import dev.keyward.handler.AuthorizerHandler;
import dev.keyward.invoke.StreamHandlers;
import dev.keyward.runtime.AwsSettings;
import dev.keyward.runtime.Keyward;
import dev.keyward.aws.KeysTable;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.UseCases;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;

/**
 * Gives integration tests a {@link Aws}: real SDK clients pointed at the emulator (started once
 * for the whole run), and a fresh keys table per test class so classes cannot see each other's data.
 */
public final class AwsEnvironment implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AwsEnvironment.class);
    private static final AtomicInteger TABLES = new AtomicInteger();

    /** Skips the test class, with the reason, when its emulator needs a Docker engine and none answers. */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (!Emulator.kind().equals("moto")) {
            ContainerEmulator.requireDocker(Emulator.kind());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Aws.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        RunningEmulator emulator = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RunningEmulator.class, k -> new RunningEmulator(Emulator.start()), RunningEmulator.class);
        ExtensionContext classContext = context.getParent().filter(c -> c.getTestClass().isPresent()
                && c.getTestMethod().isEmpty()).orElse(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(Aws.class,
                k -> Aws.create(emulator.emulator, "keys-it-" + TABLES.incrementAndGet()), Aws.class);
    }

    /** Stops the emulator when the whole run is over. */
    private record RunningEmulator(Emulator emulator) implements AutoCloseable {
        @Override
        public void close() {
            emulator.close();
        }
    }

    /** SDK clients and a service over one emulator and one table. */
    public record Aws(Emulator emulator, AwsSettings settings, AwsClients clients) implements AutoCloseable {

        static Aws create(Emulator emulator, String table) {
            AwsSettings settings = settings(emulator, table, KeyPorts.DEFAULT_KEY_LIMIT);
            AwsClients clients = new AwsClients(settings);
            KeysTable.createIfMissing(clients.dynamoDb(), table);
            return new Aws(emulator, settings, clients);
        }

        static AwsSettings settings(Emulator emulator, String table, int keyLimit) {
            return new AwsSettings(Region.US_EAST_1, Optional.of(emulator.endpoint()),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")),
                    table, keyLimit, Optional.empty());
        }

        public UseCases service() {
            return new UseCases(Keyward.ports(settings, clients, Clock.systemUTC()));
        }

        /** A service over the same table whose time is {@code clock}'s. */
        public UseCases service(Clock clock) {
            return new UseCases(Keyward.ports(settings, clients, clock));
        }

        /** New clients over the same emulator whose every request passes {@code interceptors}; close them. */
        public AwsClients clientsWith(ExecutionInterceptor... interceptors) {
            return new AwsClients(settings, List.of(interceptors));
        }

        /** New clients over the same emulator with these timeouts, whose every request passes {@code interceptors}; close them. */
        public AwsClients clientsWith(AwsClients.Timeouts timeouts, ExecutionInterceptor... interceptors) {
            return new AwsClients(settings, List.of(interceptors), timeouts);
        }

        /**
         * The authorizer as API Gateway calls it (its JSON in and out), over a verifier of its own
         * on {@code clients}, whose time is {@code clock}'s, for the sample API's routes.
         */
        public RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer(AwsClients clients, Clock clock) {
            return StreamHandlers.authorizer(new AuthorizerHandler(Keyward.verifier(settings, clients, clock)));
        }

        /** The same over these clients, with the routes each scope opens ({@code ROUTE_SCOPES}' JSON). */
        public RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer(Clock clock, String routeScopes) {
            return StreamHandlers.authorizer(new AuthorizerHandler(Keyward.verifier(settings, clients, clock),
                    Keyward.routeScopes(routeScopes)));
        }

        /** A service over the same table that allows at most {@code keyLimit} keys per account. */
        public UseCases service(int keyLimit) {
            return new UseCases(Keyward.ports(settings(emulator, settings.tableName(), keyLimit), clients, Clock.systemUTC()));
        }

        @Override
        public void close() {
            clients.close();
        }
    }
}
