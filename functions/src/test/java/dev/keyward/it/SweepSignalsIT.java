package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.aws.AwsClients;
import dev.keyward.runtime.AwsSettings;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.DependencyUnavailableException;
import dev.keyward.handler.HousekeepingHandler;
import dev.keyward.it.AwsEnvironment.Aws;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hourly sweep's result reaches the operator: a finished sweep writes sweep_finished (the
 * SweepRuns metric the sweep alarm waits for), a failed one sweep_failed (SweepFailures, and a
 * dependency error when AWS is why) and still fails the invocation.
 */
@ExtendWith(AwsEnvironment.class)
class SweepSignalsIT {

    @Test
    void aFinishedSweep_shouldSayHowManySecretsItDestroyed(Aws aws) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        List<Map<String, Object>> lines = captured(() -> new HousekeepingHandler(aws.service().ports())
                .handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), answer, null));

        Map<String, Object> finished = lines.get(lines.size() - 1);
        assertEquals("sweep_finished", finished.get("event"));
        assertEquals(1, finished.get("SweepRuns"));
        assertEquals(JSON.std.mapFrom(answer.toString(StandardCharsets.UTF_8)).get("destroyed"), finished.get("destroyed"));
        assertTrue(String.valueOf(finished.get("_aws")).contains("SweepRuns"), finished.toString());
    }

    @Test
    void aFailedSweep_shouldBeCountedAndStillFailTheInvocation(Aws aws) throws IOException {
        AwsSettings unreachable = new AwsSettings(aws.settings().region(), Optional.of(URI.create("http://127.0.0.1:9")),
                aws.settings().credentials(), aws.settings().tableName(), 100, Optional.empty());
        try (AwsClients clients = new AwsClients(unreachable)) {
            HousekeepingHandler sweep = new HousekeepingHandler(Keyward.ports(unreachable, clients, Clock.systemUTC()));

            List<Map<String, Object>> lines = captured(() -> assertThrows(DependencyUnavailableException.class,
                    () -> sweep.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)),
                            new ByteArrayOutputStream(), null)));

            Map<String, Object> failed = lines.get(lines.size() - 1);
            assertEquals("sweep_failed", failed.get("event"));
            assertEquals(1, failed.get("SweepFailures"));
            assertEquals(1, failed.get("DependencyErrors"));
            assertEquals("DynamoDB", failed.get("Dependency"));
        }
    }

    interface Work {
        void run() throws IOException;
    }

    private static List<Map<String, Object>> captured(Work work) throws IOException {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setOut(original);
        }
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{")) {
                lines.add(JSON.std.mapFrom(line));
            }
        }
        return lines;
    }
}
