package dev.keyward.local;

import dev.keyward.http.Problems;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server in front of the {@link Gateway} and the {@link Console}: one thread per
 * connection, so requests run concurrently and a slow client holds up only itself.
 *
 * <p>It is written here rather than taken from the JDK ({@code com.sun.net.httpserver}) because
 * that server cannot answer what a client can act on where it matters: it answers a malformed
 * percent-encoding with an HTML page, resets the connection on large or many headers, and lets a
 * client that sends less body than it announced hold a worker forever. Here every refusal is
 * problem+json, and every read has a deadline:
 * <ul>
 *   <li>request line over {@value #MAX_HEAD_BYTES} bytes: 414; request line and headers over
 *       {@value #MAX_HEAD_BYTES} bytes or more than {@value #MAX_HEADERS} headers: 431 (API
 *       Gateway's own limit on the two together is 10,240 bytes);</li>
 *   <li>a body over {@value #MAX_REQUEST_BYTES} bytes (API Gateway's payload limit): 413, before
 *       it is read;</li>
 *   <li>a malformed request line, percent-encoding, header or length: 400;</li>
 *   <li>no byte for {@link Limits#readTimeout()}, or the whole request not in within
 *       {@link Limits#requestTimeout()}: 408, and the connection is closed;</li>
 *   <li>a {@code Host} that is neither a loopback name nor the address the server was bound to, or
 *       an {@code Origin} that is not the server itself: 403, so that a web page cannot reach
 *       the API through DNS rebinding or a cross-site request;</li>
 *   <li>more than {@link Limits#maxConnections()} connections at once: 503 with Retry-After.</li>
 * </ul>
 * The access log names the route template ({@code /accounts/{accountId}/keys/{keyId}}), never the
 * path as sent, which may carry anything a client pasted into it.
 */
final class LocalServer implements AutoCloseable {
    /** API Gateway's largest request payload. */
    static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    /** The request line and the header section together, as API Gateway counts them. */
    static final int MAX_HEAD_BYTES = 10 * 1024;
    static final int MAX_HEADERS = 100;
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

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
    private final Set<String> allowedHosts;
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
        this.allowedHosts = allowedHosts(host);
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

    /** The names a request's Host may give: loopback ones, and the address the server is bound to. */
    static Set<String> allowedHosts(String boundHost) {
        Set<String> names = new java.util.HashSet<>(LOOPBACK_NAMES);
        String bound = boundHost.toLowerCase(Locale.ROOT);
        names.add(bound.contains(":") && !bound.startsWith("[") ? "[" + bound + "]" : bound);
        return Set.copyOf(names);
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
            write(socket.getOutputStream(), "GET", problem(503, "server_busy",
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
                    write(out, exchange.method, problem(failure.status, failure.code, failure.getMessage(), Map.of()), true);
                    lingeringClose(socket, 5);
                    return;
                } catch (SocketTimeoutException e) {
                    exchange.status = 408;
                    write(out, exchange.method, problem(408, "request_timeout",
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
        Head head = Head.read(first, in);
        head.sourceIp = sourceIp;
        exchange.method = head.method;
        exchange.route = routeLabel(head);
        checkPercentEncoding(head.rawPath, "path");
        if (head.rawQuery != null) {
            checkPercentEncoding(head.rawQuery, "query");
        }
        String refusal = checkHostAndOrigin(head);
        boolean keepAlive = head.keepAlive();
        if (refusal != null) {
            // a client that addresses another site gets no second request on this connection
            Gateway.Reply reply = problem(403, refusal.startsWith("Host") ? "host_not_allowed" : "origin_not_allowed",
                    refusal, Map.of());
            exchange.status = reply.status();
            write(out, head.method, reply, true);
            return false;
        }
        byte[] body = Body.read(head, in, out);
        Gateway.Reply reply = console.serve(head.method, head.rawPath);
        if (reply == null) {
            reply = gateway.serve(new IncomingRequest(head.method, head.rawPath, head.rawQuery, head.headers, body,
                    head.sourceIp, head.first("Host")));
        }
        exchange.status = reply.status();
        write(out, head.method, reply, !keepAlive);
        return keepAlive;
    }

    private String routeLabel(Head head) {
        if (head.method.equals("GET") || head.method.equals("HEAD")) {
            if (head.rawPath.equals("/") || head.rawPath.matches("/console/[a-z0-9-]+\\.[a-z]+")) {
                return head.rawPath;
            }
        }
        return gateway.routeTemplate(head.method, head.rawPath);
    }

    private String checkHostAndOrigin(Head head) {
        List<String> hosts = head.all("Host");
        String host = hosts.size() == 1 ? hosts.get(0) : null;
        if (host == null || !allowedHosts.contains(hostName(host))) {
            return "Host must name this machine's loopback address (localhost, 127.0.0.1, [::1]) or the address "
                    + "the local API was started on.";
        }
        String origin = head.first("Origin");
        if (origin != null && !origin.equalsIgnoreCase("http://" + host)) {
            return "Origin is another site: the local API answers only its own console and clients that send no Origin.";
        }
        return null;
    }

    /** The name part of a Host value, lower case: {@code LocalHost:3000} is {@code localhost}. */
    static String hostName(String host) {
        String value = host.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? value : value.substring(0, end + 1);
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    static void checkPercentEncoding(String raw, String where) throws HttpFailure {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    throw new HttpFailure(400, "malformed_request", "The " + where
                            + " has a '%' that is not followed by two hexadecimal digits; encode '%' itself as %25.");
                }
            }
        }
    }

    private void log(Exchange exchange, long start) {
        if (logRequests && exchange.status != 0) {
            System.err.printf("local-api: %s %s -> %d (%d ms)%n", exchange.method, exchange.route, exchange.status,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    static Gateway.Reply problem(int status, String code, String detail, Map<String, String> extraHeaders) {
        String requestId = UUID.randomUUID().toString();
        return Gateway.reply(Problems.of(status, code, detail, requestId, extraHeaders), requestId);
    }

    private static void write(OutputStream out, String method, Gateway.Reply reply, boolean close) throws IOException {
        int status = reply.status();
        boolean noBody = method.equals("HEAD") || status == 204 || status == 304 || status < 200;
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(status).append(' ').append(Problems.title(status)).append("\r\n");
        reply.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Connection")
                    && !name.equalsIgnoreCase("Transfer-Encoding")) {
                for (String value : values) {
                    head.append(name).append(": ").append(value.replaceAll("[\\r\\n]", " ")).append("\r\n");
                }
            }
        });
        if (status != 204 && status != 304 && status >= 200) {
            head.append("Content-Length: ").append(reply.body().length).append("\r\n");
        }
        if (close) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!noBody) {
            out.write(reply.body());
        }
        out.flush();
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
            long left = MAX_REQUEST_BYTES + 1024L * 1024;
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

    /** A request the server refuses before it reaches the gateway, with the answer's status and code. */
    static final class HttpFailure extends IOException {
        final int status;
        final String code;

        HttpFailure(int status, String code, String detail) {
            super(detail, null);
            this.status = status;
            this.code = code;
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

    /** The request line and headers. */
    private static final class Head {
        String method;
        String rawPath;
        String rawQuery;
        String version;
        String sourceIp;
        final Map<String, List<String>> headers = new LinkedHashMap<>();

        String first(String name) {
            for (Map.Entry<String, List<String>> header : headers.entrySet()) {
                if (header.getKey().equalsIgnoreCase(name)) {
                    return header.getValue().get(0);
                }
            }
            return null;
        }

        List<String> all(String name) {
            List<String> values = new ArrayList<>();
            headers.forEach((key, list) -> {
                if (key.equalsIgnoreCase(name)) {
                    values.addAll(list);
                }
            });
            return values;
        }

        boolean keepAlive() {
            String connection = first("Connection");
            boolean close = connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
            return version.equals("HTTP/1.1") && !close;
        }

        static Head read(int first, InputStream in) throws IOException {
            Head head = new Head();
            int[] used = {0};
            String requestLine = line(first, in, used, true);
            String[] parts = requestLine.split(" ", -1);
            if (parts.length != 3 || !parts[0].matches("[A-Za-z]{1,16}") || !parts[2].matches("HTTP/1\\.[01]")) {
                throw new HttpFailure(400, "malformed_request", "The request line must be 'METHOD /path HTTP/1.1'.");
            }
            if (!parts[1].startsWith("/") || !parts[1].chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new HttpFailure(400, "malformed_request",
                        "The request target must be a path starting with '/', in printable ASCII.");
            }
            head.method = parts[0].toUpperCase(Locale.ROOT);
            int query = parts[1].indexOf('?');
            head.rawPath = query < 0 ? parts[1] : parts[1].substring(0, query);
            head.rawQuery = query < 0 ? null : parts[1].substring(query + 1);
            head.version = parts[2];
            int count = 0;
            while (true) {
                int next = in.read();
                if (next < 0) {
                    throw new EOFException();
                }
                String line = line(next, in, used, false);
                if (line.isEmpty()) {
                    return head;
                }
                if (++count > MAX_HEADERS) {
                    throw new HttpFailure(431, "header_fields_too_large",
                            "The request has more than " + MAX_HEADERS + " headers.");
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || !line.substring(0, colon).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                    throw new HttpFailure(400, "malformed_request", "A header line is not 'Name: value'.");
                }
                String value = line.substring(colon + 1).strip();
                if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                    throw new HttpFailure(400, "malformed_request", "A header value holds a control character.");
                }
                String name = line.substring(0, colon);
                String key = head.headers.keySet().stream().filter(name::equalsIgnoreCase).findFirst().orElse(name);
                head.headers.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }

        /** One line without its CRLF (or bare LF), counting bytes against {@link #MAX_HEAD_BYTES}. */
        private static String line(int first, InputStream in, int[] used, boolean requestLine) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            int b = first;
            while (b != '\n') {
                if (b < 0) {
                    throw new EOFException();
                }
                if (++used[0] > MAX_HEAD_BYTES) {
                    throw requestLine
                            ? new HttpFailure(414, "uri_too_long", "The request line is over " + MAX_HEAD_BYTES + " bytes.")
                            : new HttpFailure(431, "header_fields_too_large",
                                    "The request line and headers are over " + MAX_HEAD_BYTES + " bytes together.");
                }
                bytes.write(b);
                b = in.read();
            }
            used[0]++;
            byte[] line = bytes.toByteArray();
            int length = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
            if (!requestLine && length > 0 && (line[0] == ' ' || line[0] == '\t')) {
                throw new HttpFailure(400, "malformed_request", "Folded header lines are not accepted.");
            }
            return new String(line, 0, length, StandardCharsets.ISO_8859_1);
        }
    }

    /** The body by Content-Length or chunked, never more than {@link #MAX_REQUEST_BYTES}. */
    private static final class Body {
        /** @param out where to send "100 Continue" when the client waits for it, or null to never send it */
        static byte[] read(Head head, InputStream in, OutputStream out) throws IOException {
            List<String> lengths = head.all("Content-Length");
            List<String> codings = head.all("Transfer-Encoding");
            if (!codings.isEmpty()) {
                if (!lengths.isEmpty()) {
                    throw new HttpFailure(400, "malformed_request", "Send Content-Length or Transfer-Encoding, not both.");
                }
                if (codings.size() != 1 || !codings.get(0).equalsIgnoreCase("chunked")) {
                    throw new HttpFailure(400, "malformed_request", "The only transfer coding accepted is chunked.");
                }
                continueIfExpected(head, out);
                return chunked(in);
            }
            if (lengths.isEmpty()) {
                return new byte[0];
            }
            String first = lengths.get(0);
            for (String length : lengths) {
                if (!length.equals(first) || !length.matches("[0-9]{1,12}")) {
                    throw new HttpFailure(400, "malformed_request", "Content-Length must be one decimal number.");
                }
            }
            long length = Long.parseLong(first);
            if (length > MAX_REQUEST_BYTES) {
                throw new HttpFailure(413, "payload_too_large",
                        "The body is " + length + " bytes; at most " + MAX_REQUEST_BYTES + " are accepted.");
            }
            continueIfExpected(head, out);
            byte[] body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new EOFException();
            }
            return body;
        }

        private static void continueIfExpected(Head head, OutputStream out) throws IOException {
            String expect = head.first("Expect");
            if (out != null && expect != null && expect.equalsIgnoreCase("100-continue")) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        }

        private static byte[] chunked(InputStream in) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = Head.line(in.read(), in, new int[1], false);
                String size = sizeLine.split(";", 2)[0].strip();
                if (!size.matches("[0-9A-Fa-f]{1,7}")) {
                    throw new HttpFailure(400, "malformed_request", "A chunk size is not a hexadecimal number.");
                }
                int n = Integer.parseInt(size, 16);
                if (n == 0) {
                    // trailers, up to the empty line
                    while (!Head.line(in.read(), in, new int[1], false).isEmpty()) {
                        // dropped, as API Gateway drops them
                    }
                    return body.toByteArray();
                }
                if (body.size() + (long) n > MAX_REQUEST_BYTES) {
                    throw new HttpFailure(413, "payload_too_large",
                            "The body is over " + MAX_REQUEST_BYTES + " bytes, the most accepted.");
                }
                byte[] chunk = in.readNBytes(n);
                if (chunk.length < n) {
                    throw new EOFException();
                }
                body.write(chunk);
                if (!Head.line(in.read(), in, new int[1], false).isEmpty()) {
                    throw new HttpFailure(400, "malformed_request", "A chunk is longer than its size says.");
                }
            }
        }
    }
}
