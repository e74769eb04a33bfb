package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Host and Origin checks on their own; LocalServerTest sends the same over a socket. */
class HostGuardTest {
    private static RequestHead head(String... headers) {
        RequestHead head = new RequestHead("GET", "/accounts/acme/keys", null, "HTTP/1.1");
        for (int i = 0; i < headers.length; i += 2) {
            Headers.add(head.headers(), headers[i], headers[i + 1]);
        }
        return head;
    }

    @Test
    void theBoundAddress_shouldBeAnAllowedHost() {
        assertTrue(HostGuard.allowedHosts("192.0.2.10").contains("192.0.2.10"));
        assertTrue(HostGuard.allowedHosts("::1").contains("[::1]"));
        assertFalse(HostGuard.allowedHosts("127.0.0.1").contains("evil.example"));
    }

    @Test
    void theHostName_shouldLoseItsPortAndCase() {
        assertEquals("localhost", HostGuard.hostName("LocalHost:3000"));
        assertEquals("[::1]", HostGuard.hostName("[::1]:8080"));
        assertEquals("127.0.0.1", HostGuard.hostName("127.0.0.1"));
    }

    @Test
    void aHostSpelledTwice_shouldCountAsTwoHosts() {
        HttpFailure refusal = new HostGuard("127.0.0.1").refusal(head("Host", "127.0.0.1", "host", "evil.example"));

        assertEquals(403, refusal.status);
        assertEquals("host_not_allowed", refusal.code);
    }

    @Test
    void anOriginOnAnotherPort_shouldBeRefused_andTheSameOneAllowed() {
        HostGuard guard = new HostGuard("127.0.0.1");

        assertEquals("origin_not_allowed", guard.refusal(head("Host", "127.0.0.1:3000", "Origin", "http://127.0.0.1:1")).code);
        assertNull(guard.refusal(head("Host", "127.0.0.1:3000", "origin", "HTTP://127.0.0.1:3000")));
        assertNull(guard.refusal(head("Host", "localhost")));
        assertEquals(List.of("127.0.0.1:3000"), head("Host", "127.0.0.1:3000").all("HOST"));
    }
}
