package dev.keyward.it;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * toxiproxy-server as a child process on a free loopback port, and one proxy through it to an
 * upstream (the emulator) on another free port. The executable is the one {@code make test}
 * builds from the Go module proxy, named by the system property {@code keyward.toxiproxy} (or
 * env {@code TOXIPROXY_SERVER}).
 */
final class ToxiproxyServer implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Process process;
    private final ToxiproxyClient client;

    private ToxiproxyServer(Process process, ToxiproxyClient client) {
        this.process = process;
        this.client = client;
    }

    static ToxiproxyServer start() {
        Path executable = executable();
        int port = freePort();
        Path log = Path.of("target", "toxiproxy-server.log").toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(List.of(executable.toString(), "-host", "127.0.0.1",
                    "-port", Integer.toString(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            ToxiproxyServer server = new ToxiproxyServer(process, new ToxiproxyClient("127.0.0.1", port));
            server.awaitReady(log);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + executable, e);
        }
    }

    /** A proxy on a free loopback port to {@code upstream} (http://host:port); its URI. */
    Proxied proxy(String name, URI upstream) {
        try {
            Proxy proxy = client.createProxy(name, "127.0.0.1:0", upstream.getHost() + ":" + upstream.getPort());
            // the server answers with the port it bound
            return new Proxied(proxy, URI.create("http://" + proxy.getListen()));
        } catch (IOException e) {
            throw new IllegalStateException("Could not create the proxy " + name, e);
        }
    }

    /** A proxy and the endpoint that reaches the upstream through it. */
    record Proxied(Proxy proxy, URI endpoint) {
    }

    private static Path executable() {
        String configured = System.getProperty("keyward.toxiproxy", System.getenv().getOrDefault("TOXIPROXY_SERVER", ""));
        Path path = configured.isBlank() ? null : Path.of(configured);
        if (path == null || !Files.isExecutable(path)) {
            throw new IllegalStateException("toxiproxy-server not found" + (path == null ? "" : " at " + path)
                    + ": run the tests with 'make test' (it builds the pinned toxiproxy-server with Go), or set TOXIPROXY_SERVER");
        }
        return path;
    }

    private void awaitReady(Path log) {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("toxiproxy-server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                client.version();
                return;
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("toxiproxy-server did not answer within " + STARTUP + "; see " + log);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free local port", e);
        }
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
