package dev.keyward.it;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack or Floci in Docker through Testcontainers. Where no Docker engine answers, the
 * tests that need it are skipped with the reason, not failed.
 */
final class ContainerEmulator implements Emulator {
    /** The last LocalStack tag that starts without an auth token; newer ones need LOCALSTACK_AUTH_TOKEN. */
    static final String LOCALSTACK_DEFAULT = "localstack/localstack:4.14.0";
    static final String FLOCI_DEFAULT = "floci/floci:1.5.11";
    private static final int EDGE_PORT = 4566;

    private final String name;
    private final GenericContainer<?> container;

    private ContainerEmulator(String name, GenericContainer<?> container) {
        this.name = name;
        this.container = container;
    }

    static ContainerEmulator localStack() {
        requireDocker("localstack");
        DockerImageName image = DockerImageName.parse(env("LOCALSTACK_IMAGE", LOCALSTACK_DEFAULT))
                .asCompatibleSubstituteFor("localstack/localstack");
        LocalStackContainer container = new LocalStackContainer(image).withServices("dynamodb", "secretsmanager");
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token != null && !token.isBlank()) {
            container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
        }
        container.start();
        return new ContainerEmulator("localstack", container);
    }

    static ContainerEmulator floci() {
        requireDocker("floci");
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(env("FLOCI_IMAGE", FLOCI_DEFAULT)))
                .withExposedPorts(EDGE_PORT)
                .waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofMinutes(2)));
        container.start();
        return new ContainerEmulator("floci", container);
    }

    static void requireDocker(String emulator) {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            docker = false;
        }
        Assumptions.assumeTrue(docker, "keyward.emulator=" + emulator
                + " runs the integration tests in Docker, and no Docker engine answers here; "
                + "run them against moto (the default) or on a machine with Docker");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public URI endpoint() {
        return URI.create("http://" + container.getHost() + ":" + container.getMappedPort(EDGE_PORT));
    }

    @Override
    public void close() {
        container.stop();
    }
}
