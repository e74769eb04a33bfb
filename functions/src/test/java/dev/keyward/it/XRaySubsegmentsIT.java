package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.aws.AwsClients;
import dev.keyward.runtime.Keyward;
import dev.keyward.it.AwsEnvironment.Aws;
import dev.keyward.telemetry.XRaySubsegments;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each DynamoDB and Secrets Manager call of a traced invocation reaches the X-Ray daemon as a
 * subsegment of the function's segment, through the real SDK to the emulator; a daemon that this
 * test plays on a UDP port.
 */
@ExtendWith(AwsEnvironment.class)
class XRaySubsegmentsIT {
    private static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";
    private static final String ROOT = "1-6747a2b0-0123456789abcdef01234567";
    private static final String PARENT = "53995c3f42cd8ad8";

    private DatagramSocket daemon;

    @BeforeEach
    void startDaemon() throws IOException {
        daemon = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        daemon.setSoTimeout(300);
    }

    @AfterEach
    void stopDaemon() {
        daemon.close();
        System.clearProperty(TRACE_PROPERTY);
    }

    @Test
    void aSampledCreate_shouldSendOneSubsegmentPerAwsCall_underTheFunctionsSegment(Aws aws) throws IOException {
        System.setProperty(TRACE_PROPERTY, "Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=1");
        try (AwsClients clients = aws.clientsWith(tracing())) {
            new Api(Keyward.ports(aws.settings(), clients, Clock.systemUTC())).createKey("acme-traced", "Warehouse Dashboard");
        }

        List<Map<String, Object>> subsegments = received();
        List<String> calls = subsegments.stream().map(s -> s.get("name") + " " + ((Map<?, ?>) s.get("aws")).get("operation")).toList();
        assertTrue(calls.containsAll(List.of("DynamoDB GetItem", "DynamoDB PutItem", "SecretsManager CreateSecret",
                "DynamoDB TransactWriteItems")), calls.toString());
        for (Map<String, Object> subsegment : subsegments) {
            assertEquals(ROOT, subsegment.get("trace_id"));
            assertEquals(PARENT, subsegment.get("parent_id"));
            assertEquals("subsegment", subsegment.get("type"));
            assertEquals("aws", subsegment.get("namespace"));
            assertEquals(16, ((String) subsegment.get("id")).length());
            assertTrue(((Number) subsegment.get("start_time")).doubleValue() <= ((Number) subsegment.get("end_time")).doubleValue());
            assertEquals("us-east-1", ((Map<?, ?>) subsegment.get("aws")).get("region"));
            assertEquals(Map.of("response", Map.of("status", 200)), subsegment.get("http"), subsegment.toString());
        }
    }

    @Test
    void aFailedCall_shouldBeMarkedAnErrorOrAFault(Aws aws) throws IOException {
        System.setProperty(TRACE_PROPERTY, "Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=1");
        try (AwsClients clients = aws.clientsWith(tracing())) {
            try {
                clients.dynamoDb().getItem(g -> g.tableName("no-such-table").key(Map.of("pk",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("x"))));
            } catch (RuntimeException expected) {
                // ResourceNotFoundException: the caller's mistake, a 400
            }
        }

        Map<String, Object> subsegment = received().get(0);
        assertEquals(true, subsegment.get("error"), subsegment.toString());
        assertEquals(Map.of("response", Map.of("status", 400)), subsegment.get("http"));
    }

    @Test
    void anUnsampledInvocation_shouldSendNothing(Aws aws) throws IOException {
        System.setProperty(TRACE_PROPERTY, "Root=" + ROOT + ";Parent=" + PARENT + ";Sampled=0");
        try (AwsClients clients = aws.clientsWith(tracing())) {
            new Api(Keyward.ports(aws.settings(), clients, Clock.systemUTC())).createKey("acme-untraced", "Warehouse Dashboard");
        }

        assertEquals(List.of(), received());
    }

    private XRaySubsegments tracing() {
        return new XRaySubsegments(new InetSocketAddress("127.0.0.1", daemon.getLocalPort()));
    }

    /** Every segment document the daemon got, after the header line each datagram starts with. */
    private List<Map<String, Object>> received() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        byte[] buffer = new byte[65_536];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                daemon.receive(packet);
            } catch (SocketTimeoutException e) {
                return documents;
            }
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            int newline = text.indexOf('\n');
            assertEquals("{\"format\":\"json\",\"version\":1}", text.substring(0, newline));
            documents.add(JSON.std.mapFrom(text.substring(newline + 1)));
        }
    }
}
