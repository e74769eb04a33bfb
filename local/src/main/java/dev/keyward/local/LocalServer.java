package dev.keyward.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The JDK HTTP server in front of the {@link Gateway} and the {@link Console}; requests run concurrently. */
final class LocalServer implements AutoCloseable {
    /** API Gateway's largest request payload. */
    static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService workers;
    private final Gateway gateway;
    private final Console console;
    private final boolean logRequests;

    LocalServer(Gateway gateway, Console console, String host, int port, int threads, boolean logRequests)
            throws IOException {
        this.gateway = gateway;
        this.console = console;
        this.logRequests = logRequests;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
        this.workers = Executors.newFixedThreadPool(threads, named("local-api-"));
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        int status = 500;
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String rawPath = exchange.getRequestURI().getRawPath();
            byte[] body = readBody(exchange.getRequestBody());
            Gateway.Reply reply;
            if (body == null) {
                reply = tooLarge();
            } else {
                reply = console.serve(method, rawPath);
                if (reply == null) {
                    reply = gateway.serve(new IncomingRequest(method, rawPath, exchange.getRequestURI().getRawQuery(),
                            exchange.getRequestHeaders(), body,
                            exchange.getRemoteAddress().getAddress().getHostAddress(),
                            exchange.getRequestHeaders().getFirst("Host")));
                }
            }
            status = reply.status();
            write(exchange, method, reply);
        } catch (IOException | RuntimeException e) {
            System.err.println("local-api: request failed: " + e.getClass().getName());
            throw e;
        } finally {
            if (logRequests) {
                System.err.printf("local-api: %s %s -> %d (%d ms)%n", exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(), status, (System.nanoTime() - start) / 1_000_000);
            }
        }
    }

    private static void write(HttpExchange exchange, String method, Gateway.Reply reply) throws IOException {
        reply.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, List.copyOf(values)));
        boolean noBody = method.equals("HEAD") || reply.status() == 204 || reply.status() == 304
                || reply.body().length == 0;
        // -1: no body at all; a length of 0 would mean "chunked" to this server
        exchange.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    /** The body, or null when it is larger than API Gateway accepts. */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        return body.length > MAX_REQUEST_BYTES ? null : body;
    }

    private static Gateway.Reply tooLarge() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        return new Gateway.Reply(413, headers, "{\"message\":\"Request Too Long\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
