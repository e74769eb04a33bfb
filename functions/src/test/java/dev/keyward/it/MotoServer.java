package dev.keyward.it;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * moto as a child process on a free loopback port, served by {@code local/emulator.py} with the
 * project's venv ({@code make test} creates it): each DynamoDB and Secrets Manager call applied
 * atomically, as AWS does. {@code KEYWARD_MOTO_MODE=threaded} (env, or the system property
 * {@code keyward.moto.mode}) serves moto unlocked instead, as {@code moto_server} does.
 */
public final class MotoServer implements Emulator {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("moto listening on (http://[0-9.]+:[0-9]+) \\((\\w+)\\)");

    private final Process process;
    private final URI endpoint;
    private final String mode;

    private MotoServer(Process process, URI endpoint, String mode) {
        this.process = process;
        this.endpoint = endpoint;
        this.mode = mode;
    }

    public static MotoServer start() {
        Path root = Path.of(System.getProperty("keyward.root", "..")).toAbsolutePath().normalize();
        Path python = root.resolve(".venv/bin/python");
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException("no Python at " + python
                    + ": run the tests with 'make test' (it installs the pinned moto into .venv)");
        }
        Path log = Path.of("target", "moto-server.log").toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(List.of(python.toString(),
                    root.resolve("local/emulator.py").toString(), "-H", "127.0.0.1", "-p", "0"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("KEYWARD_MOTO_MODE", mode());
            Process process = builder.start();
            return awaitReady(process, log);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + python, e);
        }
    }

    /** {@code atomic} (default) or {@code threaded}. */
    static String mode() {
        String mode = System.getProperty("keyward.moto.mode", System.getenv().getOrDefault("KEYWARD_MOTO_MODE", ""));
        return mode.isBlank() ? "atomic" : mode.strip().toLowerCase(Locale.ROOT);
    }

    /** Waits for the line that names the port, then for moto to answer on it. */
    private static MotoServer awaitReady(Process process, Path log) throws IOException {
        Instant deadline = Instant.now().plus(STARTUP);
        MotoServer server = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited with " + process.exitValue() + "; see " + log);
            }
            if (server == null) {
                Matcher listening = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (listening.find()) {
                    server = new MotoServer(process, URI.create(listening.group(1)), listening.group(2));
                }
            }
            if (server != null && server.answers()) {
                return server;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("moto did not answer within " + STARTUP + "; see " + log);
    }

    private boolean answers() {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            return connection.getResponseCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public String name() {
        return "moto (" + mode + ")";
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
