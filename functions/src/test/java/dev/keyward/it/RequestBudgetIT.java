package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.telemetry.TestContext;
import dev.keyward.aws.AwsClients;
import dev.keyward.it.AwsEnvironment.Aws;
import dev.keyward.runtime.AwsSettings;
import dev.keyward.runtime.Keyward;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An AWS that accepts connections and never answers: each call alone would wait out its own
 * timeouts (8 s per call, with retries), and a create or a rotate makes several calls, more than
 * a function's timeout in all. With the invocation's remaining time as the request's budget, the
 * handler answers 503 with Retry-After while the invocation is still running.
 */
@ExtendWith(AwsEnvironment.class)
class RequestBudgetIT {
    /** Short, so that the calls' own timeouts would outlast it many times over. */
    private static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(5);

    private ServerSocket silent;
    private final List<Socket> held = new ArrayList<>();
    private AwsClients clients;
    private Api api;

    @BeforeEach
    void setUp(Aws aws) throws IOException {
        silent = new ServerSocket(0);
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket socket = silent.accept();
                    synchronized (held) {
                        held.add(socket);
                    }
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        AwsSettings settings = new AwsSettings(aws.settings().region(),
                Optional.of(URI.create("http://127.0.0.1:" + silent.getLocalPort())), aws.settings().credentials(),
                aws.settings().tableName(), aws.settings().keyLimit(), Optional.empty());
        clients = new AwsClients(settings);
        api = new Api(Keyward.ports(settings, clients, Clock.systemUTC()));
    }

    @AfterEach
    void tearDown() throws IOException {
        clients.close();
        silent.close();
        synchronized (held) {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void create_shouldAnswer503WithinTheInvocation_whenAwsNeverAnswers() {
        assertAnsweredInTime(() -> api.create.handleRequest(Events.createNamed("acme", "Warehouse Dashboard"),
                TestContext.startingNow(FUNCTION_TIMEOUT)));
    }

    @Test
    void rotate_shouldAnswer503WithinTheInvocation_whenAwsNeverAnswers() {
        assertAnsweredInTime(() -> api.rotate.handleRequest(Events.rotate("acme", "key_01JDQ8Z6X4M5N7P8Q9R0S1T2V3",
                "{\"graceSeconds\":0}"), TestContext.startingNow(FUNCTION_TIMEOUT)));
    }

    private static void assertAnsweredInTime(java.util.function.Supplier<APIGatewayProxyResponseEvent> request) {
        long start = System.nanoTime();
        APIGatewayProxyResponseEvent response = request.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(503, response.getStatusCode(), response.getBody());
        assertEquals("dependency_unavailable", Api.json(response).get("code"));
        assertNotNull(response.getHeaders().get("Retry-After"));
        assertTrue(took.compareTo(FUNCTION_TIMEOUT) < 0, "answered after the function's timeout: " + took.toMillis() + " ms");
    }
}
