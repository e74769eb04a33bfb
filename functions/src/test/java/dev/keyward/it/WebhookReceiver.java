package dev.keyward.it;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * local/webhook_receiver.py as a child process: every delivery it gets is verified by the
 * Standard Webhooks reference library (Python's {@code standardwebhooks}), not by Keyward's code.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://[0-9.]+:([0-9]+)/)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    public final URI url;
    public final int port;

    private WebhookReceiver(Process process, URI url, int port) {
        this.process = process;
        this.url = url;
        this.port = port;
    }

    /** A receiver on {@code port} (0: any free one). */
    public static WebhookReceiver start(int port) {
        Path root = Path.of(System.getProperty("keyward.root", "..")).toAbsolutePath().normalize();
        Path python = root.resolve(".venv/bin/python");
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException("no Python at " + python + ": run the tests with 'make test'");
        }
        try {
            Process process = new ProcessBuilder(List.of(python.toString(),
                    root.resolve("local/webhook_receiver.py").toString(), "--port", Integer.toString(port)))
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "receiver-output");
                    drain.setDaemon(true);
                    drain.start();
                    return new WebhookReceiver(process, URI.create(listening.group(1)), Integer.parseInt(listening.group(2)));
                }
            }
            throw new IllegalStateException("the webhook receiver exited with " + process.waitFor());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sets the secret it verifies with and what it answers to the next deliveries ("500", "timeout", "close", "200"). */
    public void control(String secret, List<String> plan, double timeoutSeconds) {
        control(secret, plan, timeoutSeconds, List.of());
    }

    /**
     * As {@link #control(String, List, double)}, and each delivery is also verified with each of
     * {@code others} alone, as a receiver holding only that secret would (a delivery's
     * {@code verifiedEach}, in their order).
     */
    public void control(String secret, List<String> plan, double timeoutSeconds, List<String> others) {
        try {
            String body = JSON.std.asString(Map.of("secret", secret, "plan", plan, "timeout_seconds", timeoutSeconds,
                    "secrets", others));
            HTTP.send(HttpRequest.newBuilder(url.resolve("/_control")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every delivery so far: webhookId, verified (by the reference library), verifiedEach, answered, body. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> deliveries() {
        try {
            String json = HTTP.send(HttpRequest.newBuilder(url.resolve("/_log")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            List<Map<String, Object>> log = new ArrayList<>();
            for (Object entry : JSON.std.listFrom(json)) {
                log.add((Map<String, Object>) entry);
            }
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
