package dev.keyward.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.DependencyUnavailableException;
import dev.keyward.handler.AuthorizerHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A failure line says how bad it is: AWS throttling or out of reach is what AWS does by design
 * and is answered 503 (WARN); anything else is a bug answered 500 (ERROR).
 */
class FailureLogLevelTest {
    private static Map<String, Object> event(String file) throws IOException {
        try (InputStream in = FailureLogLevelTest.class.getResourceAsStream("/events/" + file)) {
            return Envelopes.read(in);
        }
    }

    /** What {@code action} printed to stdout, as the one JSON line it must be. */
    private static Map<String, Object> loggedBy(Runnable action) throws IOException {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(1, lines.length, captured.toString(StandardCharsets.UTF_8));
        return JSON.std.mapFrom(lines[0]);
    }

    private static DependencyUnavailableException unreachable() {
        return new DependencyUnavailableException("DynamoDB", new ConnectException("Connection refused"));
    }

    @Test
    void serve_shouldLogWarn_whenAwsIsUnreachable() throws IOException {
        Map<String, Object> event = event("create-key.json");
        Map<String, Object> line = loggedBy(() -> assertEquals(503, Api.serve(event, null, "POST", request -> {
            throw unreachable();
        }).statusCode()));

        assertEquals("WARN", line.get("level"), line.toString());
        assertEquals("request_failed", line.get("event"));
    }

    @Test
    void serve_shouldLogError_whenTheCodeFails() throws IOException {
        Map<String, Object> event = event("create-key.json");
        Map<String, Object> line = loggedBy(() -> assertEquals(500, Api.serve(event, null, "POST", request -> {
            throw new IllegalStateException("a bug");
        }).statusCode()));

        assertEquals("ERROR", line.get("level"), line.toString());
    }

    @Test
    void authorize_shouldLogWarn_whenTheLookupIsUnreachable_andErrorForABug() throws IOException {
        Map<String, Object> event = event("authorize.json");

        Map<String, Object> unreachable = loggedBy(() -> assertThrows(RuntimeException.class,
                () -> Authorizers.authorize(event, header -> {
                    throw unreachable();
                })));
        Map<String, Object> bug = loggedBy(() -> assertThrows(RuntimeException.class,
                () -> Authorizers.authorize(event, header -> {
                    throw new IllegalStateException("a bug");
                })));

        assertEquals("WARN", unreachable.get("level"), unreachable.toString());
        assertEquals("ERROR", bug.get("level"), bug.toString());
        assertTrue(String.valueOf(unreachable.get("rootError")).contains("ConnectException"), unreachable.toString());
    }
}
