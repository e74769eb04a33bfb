package dev.keyward.it;

import java.net.URI;

/** A local stand-in for AWS that the integration tests talk to over HTTP through the real SDK. */
interface Emulator extends AutoCloseable {
    String name();

    URI endpoint();

    @Override
    void close();

    /**
     * The emulator named by the system property {@code keyward.emulator} (or env
     * {@code KEYWARD_EMULATOR}): {@code moto} (default, a local process), {@code localstack} or
     * {@code floci} (containers through Testcontainers, skipped where Docker is missing).
     */
    static Emulator start() {
        String kind = kind();
        return switch (kind) {
            case "moto" -> MotoServer.start();
            case "localstack" -> ContainerEmulator.localStack();
            case "floci" -> ContainerEmulator.floci();
            default -> throw new IllegalArgumentException(
                    "keyward.emulator must be moto, localstack or floci, was '" + kind + "'");
        };
    }

    static String kind() {
        String kind = System.getProperty("keyward.emulator", System.getenv().getOrDefault("KEYWARD_EMULATOR", "moto"));
        return kind.strip().toLowerCase(java.util.Locale.ROOT);
    }
}
