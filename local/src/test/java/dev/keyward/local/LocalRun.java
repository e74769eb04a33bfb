package dev.keyward.local;

import dev.keyward.it.AwsEnvironment.Aws;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code make run} for a test: local/run.sh with the packaged local API (target/keyward-local.jar
 * and target/lib, as make builds them), pointed at the test's emulator and table through
 * {@code AWS_ENDPOINT_URL} and {@code KEYS_TABLE}, on a free port. Everything it prints is kept.
 */
final class LocalRun implements AutoCloseable {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern READY = Pattern.compile("^\\s+API\\s+(http://127\\.0\\.0\\.1:\\d+)$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final List<String> output;
    final URI base;

    private LocalRun(Process process, List<String> output, URI base) {
        this.process = process;
        this.output = output;
        this.base = base;
    }

    /** Starts it with {@code extra} added to its environment and waits until it serves. */
    static LocalRun start(Aws aws, Map<String, String> extra) throws IOException {
        if (!Files.isRegularFile(ROOT.resolve("local/target/keyward-local.jar"))) {
            throw new IllegalStateException("local/target/keyward-local.jar is missing: run the tests with mvn verify");
        }
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("local/run.sh").toString())
                .directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        for (String name : List.of("PERSIST", "EMULATOR", "HOST", "ALLOW_REMOTE", "MOTO_PORT", "KEYWARD_STATE",
                "ROUTE_SCOPES", "KEYWARD_CONSOLE_DIR", "AWS_PROFILE", "AWS_SESSION_TOKEN")) {
            env.remove(name);
        }
        env.put("VENV", System.getProperty("keyward.venv", ".venv"));
        env.put("PORT", "0");
        env.put("AWS_ENDPOINT_URL", aws.settings().endpoint().orElseThrow().toString());
        env.put("AWS_REGION", aws.settings().region().id());
        env.put("KEYS_TABLE", aws.settings().tableName());
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.putAll(extra);
        Process process = builder.start();
        List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread drain = new Thread(() -> lines.lines().forEach(output::add), "local-run-output");
        drain.setDaemon(true);
        drain.start();
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            synchronized (output) {
                for (String line : output) {
                    Matcher ready = READY.matcher(line);
                    if (ready.find()) {
                        return new LocalRun(process, output, URI.create(ready.group(1)));
                    }
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        process.destroy();
        throw new IllegalStateException("the local API did not start:\n" + String.join("\n", output));
    }

    /** Everything printed so far, a line each. */
    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    record Answer(int status, String body) {
    }

    Answer send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops it as Ctrl-C would (run.sh stops the API in turn). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
