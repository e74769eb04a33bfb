package dev.keyward.local;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server in front of the {@link Gateway} and the {@link Console}: one thread per
 * connection, so requests run concurrently and a slow client holds up only itself. This class owns
 * the sockets, their deadlines and the access log; {@link RequestReader} reads each request,
 * {@link HostGuard} decides whether it may go on, {@link ResponseWriter} writes the answer.
 *
 * <p>It is written here rather than taken from the JDK ({@code com.sun.net.httpserver}) because
 * that server cannot answer what a client can act on where it matters: it answers a malformed
 * percent-encoding with an HTML page, resets the connection on large or many headers, and lets a
 * client that sends less body than it announced hold a worker forever. Here every refusal is
 * problem+json, and every read has a deadline:
 * <ul>
 *   <li>a request too large or malformed: 400, 413, 414 or 431 (see {@link RequestReader});</li>
 *   <li>no byte for {@link Limits#readTimeout()}, or the whole request not in within
 *       {@link Limits#requestTimeout()}: 408, and the connection is closed;</li>
 *   <li>a foreign {@code Host} or {@code Origin}: 403 (see {@link HostGuard});</li>
 *   <li>more than {@link Limits#maxConnections()} connections at once: 503 with Retry-After.</li>
 * </ul>
 * The access log names the route template ({@code /accounts/{accountId}/keys/{keyId}}), never the
 * path as sent, which may carry anything a client pasted into it.
 */
final class LocalServer implements AutoCloseable {
    /**
     * How long and how many.
     *
     * @param readTimeout    the longest wait for the next byte of a request once it has begun
     * @param requestTimeout the longest a whole request (line, headers, body) may take to arrive
     * @param idleTimeout    how long a kept-alive connection may wait for its next request
     * @param maxConnections connections served at once; more are answered 503
     */
    record Limits(Duration readTimeout, Duration requestTimeout, Duration idleTimeout, int maxConnections) {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(30), 128);
    }

    private final ServerSocket listener;
    private final ExecutorService connections;
    private final Semaphore slots;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Gateway gateway;
    private final Console console;
    private final Limits limits;
    private final HostGuard hostGuard;
    private final boolean logRequests;
    private volatile boolean closed;

    LocalServer(Gateway gateway, Console console, String host, int port, int maxConnections, boolean logRequests)
            throws IOException {
        this(gateway, console, host, port, new Limits(Limits.DEFAULT.readTimeout(), Limits.DEFAULT.requestTimeout(),
                Limits.DEFAULT.idleTimeout(), maxConnections), logRequests);
    }

    LocalServer(Gateway gateway, Console console, String host, int port, Limits limits, boolean logRequests)
            throws IOException {
        this.gateway = gateway;
        this.console = console;
        this.limits = limits;
        this.logRequests = logRequests;
        this.hostGuard = new HostGuard(host);
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), 128);
        this.slots = new Semaphore(limits.maxConnections());
        AtomicInteger count = new AtomicInteger();
        this.connections = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "local-api-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        // not a daemon: this thread keeps the local API's JVM running until close()
        Thread acceptor = new Thread(this::acceptLoop, "local-api-accept");
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(LocalServer::closeQuietly);
        connections.shutdownNow();
        try {
            connections.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("local-api: accept failed: " + e.getClass().getName());
                }
                continue;
            }
            if (!slots.tryAcquire()) {
                connections.execute(() -> refuseBusy(socket));
                continue;
            }
            open.add(socket);
            try {
                connections.execute(() -> {
                    try {
                        serve(socket);
                    } finally {
                        open.remove(socket);
                        slots.release();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                open.remove(socket);
                slots.release();
                closeQuietly(socket);
            }
        }
    }

    private void refuseBusy(Socket socket) {
        try (socket) {
            socket.setSoTimeout((int) limits.readTimeout().toMillis());
            ResponseWriter.write(socket.getOutputStream(), "GET", ResponseWriter.problem(503, "server_busy",
                    "The local API is serving as many connections as it may; retry shortly.",
                    Map.of("Retry-After", "1")), true);
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    /** Requests on one connection, one after another, until either side closes it. */
    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            Deadlines deadlines = new Deadlines(socket);
            InputStream in = new BufferedInputStream(deadlines, 8192);
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                deadlines.idle(limits.idleTimeout());
                int first;
                try {
                    first = in.read();
                } catch (SocketTimeoutException | SocketException e) {
                    return;
                }
                if (first < 0) {
                    return;
                }
                deadlines.request(limits.readTimeout(), limits.requestTimeout());
                long start = System.nanoTime();
                Exchange exchange = new Exchange();
                boolean keepAlive;
                try {
                    keepAlive = handle(first, in, out, exchange, socket.getInetAddress().getHostAddress());
                } catch (HttpFailure failure) {
                    exchange.status = failure.status;
                    ResponseWriter.write(out, exchange.method,
                            ResponseWriter.problem(failure.status, failure.code, failure.getMessage(), Map.of()), true);
                    lingeringClose(socket, 5);
                    return;
                } catch (SocketTimeoutException e) {
                    exchange.status = 408;
                    ResponseWriter.write(out, exchange.method, ResponseWriter.problem(408, "request_timeout",
                            "The request did not arrive in time; send it again, whole.", Map.of()), true);
                    lingeringClose(socket, 1);
                    return;
                } catch (EOFException e) {
                    return;
                } finally {
                    log(exchange, start);
                }
                if (!keepAlive) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away or broke the connection; nothing to answer
        }
    }

    /** What the access log says about one request. */
    private static final class Exchange {
        String method = "-";
        String route = "-";
        int status;
    }

    /** @return whether the connection may carry another request */
    private boolean handle(int first, InputStream in, OutputStream out, Exchange exchange, String sourceIp)
            throws IOException {
        RequestHead head = RequestReader.head(first, in);
        exchange.method = head.method();
        exchange.route = routeLabel(head);
        RequestReader.checkPercentEncoding(head);
        HttpFailure refusal = hostGuard.refusal(head);
        boolean keepAlive = head.keepAlive();
        if (refusal != null) {
            // a client that addresses another site gets no second request on this connection
            exchange.status = refusal.status;
            ResponseWriter.write(out, head.method(),
                    ResponseWriter.problem(refusal.status, refusal.code, refusal.getMessage(), Map.of()), true);
            return false;
        }
        byte[] body = RequestReader.body(head, in, out);
        Gateway.Reply reply = console.serve(head.method(), head.rawPath());
        if (reply == null) {
            reply = gateway.serve(new IncomingRequest(head.method(), head.rawPath(), head.rawQuery(), head.headers(),
                    body, sourceIp, head.first("Host")));
        }
        exchange.status = reply.status();
        ResponseWriter.write(out, head.method(), reply, !keepAlive);
        return keepAlive;
    }

    private String routeLabel(RequestHead head) {
        if (head.method().equals("GET") || head.method().equals("HEAD")) {
            if (head.rawPath().equals("/") || head.rawPath().matches("/console/[a-z0-9-]+\\.[a-z]+")) {
                return head.rawPath();
            }
        }
        return gateway.routeTemplate(head.method(), head.rawPath());
    }

    private void log(Exchange exchange, long start) {
        if (logRequests && exchange.status != 0) {
            System.err.printf("local-api: %s %s -> %d (%d ms)%n", exchange.method, exchange.route, exchange.status,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Closes after a refusal without losing the answer: a client still sending what was refused
     * (a long header, a large body) would get a reset, not the answer, if unread bytes remained.
     */
    private void lingeringClose(Socket socket, int seconds) {
        try {
            // the socket's own stream: the request's deadline, already spent, does not apply here
            InputStream in = socket.getInputStream();
            socket.shutdownOutput();
            socket.setSoTimeout(1000);
            byte[] sink = new byte[65536];
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long left = RequestReader.MAX_REQUEST_BYTES + 1024L * 1024;
            int n;
            while (left > 0 && System.nanoTime() < until && (n = in.read(sink)) >= 0) {
                left -= n;
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** The socket's input with the current deadline applied to every read. */
    private static final class Deadlines extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private long readTimeoutMillis;
        private long deadlineNanos;

        Deadlines(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
        }

        void idle(Duration timeout) {
            readTimeoutMillis = timeout.toMillis();
            deadlineNanos = Long.MAX_VALUE;
        }

        void request(Duration readTimeout, Duration requestTimeout) {
            readTimeoutMillis = readTimeout.toMillis();
            deadlineNanos = System.nanoTime() + requestTimeout.toNanos();
        }

        private void arm() throws IOException {
            long timeout = readTimeoutMillis;
            if (deadlineNanos != Long.MAX_VALUE) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                if (left <= 0) {
                    throw new SocketTimeoutException("request deadline passed");
                }
                timeout = Math.min(timeout, left);
            }
            socket.setSoTimeout((int) Math.max(1, timeout));
        }

        @Override
        public int read() throws IOException {
            arm();
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            return in.read(b, off, len);
        }
    }
}
