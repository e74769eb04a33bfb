package dev.keyward.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's AWS: moto, served by {@code local/emulator.py} from the project's {@code .venv}
 * ({@code make .venv/.installed}), on a free loopback port, as long as the benchmark runs.
 */
final class Moto implements AutoCloseable {
    private static final String LISTENING = "moto listening on ";
    private static final long STARTUP_SECONDS = 60;

    private final Process process;
    private final URI endpoint;

    private Moto(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts moto, its output in {@code log}; returns once its socket is bound (the first line it prints). */
    static Moto start(Path root, Path log) throws IOException, InterruptedException {
        Path python = root.resolve(".venv/bin/python");
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException("no " + python + ": run 'make .venv/.installed' first");
        }
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        // --parent: moto ends with the benchmark, however the benchmark ends
        Process process = new ProcessBuilder(List.of(python.toString(), root.resolve("local/emulator.py").toString(),
                "-H", "127.0.0.1", "-p", "0", "--parent", Long.toString(ProcessHandle.current().pid())))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STARTUP_SECONDS);
        while (System.nanoTime() < deadline && process.isAlive()) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            if (!lines.isEmpty() && lines.get(0).startsWith(LISTENING)) {
                // "moto listening on http://127.0.0.1:PORT (MODE)"
                return new Moto(process, URI.create(lines.get(0).substring(LISTENING.length()).split(" ")[0]));
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("moto did not start within " + STARTUP_SECONDS + " s; see " + log);
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
