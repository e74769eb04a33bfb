package dev.keyward.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * {@link CannedAws}'s answers served over HTTP on the loopback interface, so that priming's
 * found-item walks go through the same HTTP client as a real call (the SDK's URLConnection
 * client, the JDK's connection, its socket reads and writes) and not only through the SDK's
 * handling above it: a walk answered from memory without a connection leaves the HTTP client's
 * code to the few rounds against AWS itself, and the first requests after a restore interpret it.
 * Every other answer closes its connection, so both a new connection and a kept one are walked,
 * as after a restore (new) and then warm (kept). Only ever started for priming, before the
 * snapshot, and stopped before it is taken: no port stays open in a sandbox.
 *
 * <p>Built on the JDK's own HTTP server ({@code jdk.httpserver}); where a runtime's image leaves
 * that module out, priming answers from memory without HTTP ({@link CannedServices#httpServerAtHand}),
 * and this class is never loaded.
 */
final class LoopbackAws implements AutoCloseable {
    private final HttpServer server;
    private final CannedAws answers;
    private int served;

    private LoopbackAws(CannedAws answers) throws IOException {
        this.answers = answers;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        server.createContext("/", this::serve);
        server.start();
    }

    /** Serves {@code answers} on a free port of 127.0.0.1 until {@link #close}. */
    static LoopbackAws start(CannedAws answers) throws IOException {
        return new LoopbackAws(answers);
    }

    /** Where the clients that prime send their calls. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            CannedAws.Answer answer = answers.answer(target == null ? "" : target, exchange.getRequestBody());
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            if (++served % 2 == 0) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            exchange.sendResponseHeaders(200, answer.json().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.json());
            }
        }
    }

    /** Stops serving and closes every connection, at once. */
    @Override
    public void close() {
        server.stop(0);
    }
}
