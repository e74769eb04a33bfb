package dev.keyward.telemetry;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;

/**
 * One X-Ray subsegment per AWS call (DynamoDB, Secrets Manager), under the function's segment
 * that Lambda opens for each sampled invocation: name, operation, region, request id, duration,
 * and error (4xx), throttle (429) or fault (5xx, no answer). Sent as a segment document over UDP
 * to the daemon Lambda runs at {@code AWS_XRAY_DAEMON_ADDRESS}, which is all the X-Ray SDK would
 * do here, without its start-up cost. Does nothing outside Lambda or when the trace is not sampled;
 * a lost datagram loses a subsegment, never a request.
 */
public final class XRaySubsegments implements ExecutionInterceptor {
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("keyward.xray.started");
    private static final byte[] HEADER = "{\"format\":\"json\",\"version\":1}\n".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom IDS = new SecureRandom();

    private final InetSocketAddress daemon;
    private DatagramSocket socket;

    /** Sends to {@code daemon}; null sends nothing. */
    public XRaySubsegments(InetSocketAddress daemon) {
        this.daemon = daemon;
    }

    /** The daemon Lambda names in {@code AWS_XRAY_DAEMON_ADDRESS} ({@code host:port}), if any. */
    public static XRaySubsegments fromEnvironment() {
        return new XRaySubsegments(daemonAddress(System.getenv("AWS_XRAY_DAEMON_ADDRESS")).orElse(null));
    }

    static Optional<InetSocketAddress> daemonAddress(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        // "host:port", or "tcp:host:port udp:host:port": subsegments go over UDP
        String udp = value.trim();
        for (String part : udp.split("\\s+")) {
            if (part.startsWith("udp:")) {
                udp = part.substring(4);
            }
        }
        int colon = udp.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetSocketAddress.createUnresolved(udp.substring(0, colon),
                    Integer.parseInt(udp.substring(colon + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (daemon != null) {
            attributes.putAttribute(STARTED, System.currentTimeMillis());
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        send(attributes, context.httpResponse(), null);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        send(attributes, context.httpResponse().orElse(null), context.exception());
    }

    private void send(ExecutionAttributes attributes, SdkHttpResponse response, Throwable failure) {
        Long started = attributes.getAttribute(STARTED);
        String header = Invocation.traceHeader();
        String root = Invocation.traceField(header, "Root");
        String parent = Invocation.traceField(header, "Parent");
        if (started == null || root == null || parent == null || !"1".equals(Invocation.traceField(header, "Sampled"))) {
            return;
        }
        try {
            byte[] document = JSON.std.asBytes(subsegment(attributes, response, failure, started, System.currentTimeMillis(),
                    root, parent));
            byte[] packet = new byte[HEADER.length + document.length];
            System.arraycopy(HEADER, 0, packet, 0, HEADER.length);
            System.arraycopy(document, 0, packet, HEADER.length, document.length);
            socket().send(new DatagramPacket(packet, packet.length,
                    new InetSocketAddress(daemon.getHostString(), daemon.getPort())));
        } catch (IOException | RuntimeException e) {
            // tracing must never fail a request
        }
    }

    static Map<String, Object> subsegment(ExecutionAttributes attributes, SdkHttpResponse response, Throwable failure,
                                          long startedMillis, long endedMillis, String root, String parent) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        // the names X-Ray's service map knows
        service = "DynamoDb".equals(service) ? "DynamoDB" : service;
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("operation", attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        Region region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
        if (region != null) {
            aws.put("region", region.id());
        }
        if (response != null) {
            response.firstMatchingHeader("x-amzn-RequestId").ifPresent(id -> aws.put("request_id", id));
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("name", service);
        document.put("id", HexFormat.of().formatHex(randomBytes()));
        document.put("trace_id", root);
        document.put("parent_id", parent);
        document.put("type", "subsegment");
        document.put("namespace", "aws");
        document.put("start_time", startedMillis / 1000.0);
        document.put("end_time", endedMillis / 1000.0);
        document.put("aws", aws);
        int status = response != null ? response.statusCode()
                : failure instanceof AwsServiceException serviceFailure ? serviceFailure.statusCode() : 0;
        if (status > 0) {
            document.put("http", Map.of("response", Map.of("status", status)));
        }
        if (status == 429 || failure instanceof AwsServiceException e && e.isThrottlingException()) {
            document.put("throttle", true);
            document.put("error", true);
        } else if (status >= 500 || (failure != null && status == 0)) {
            document.put("fault", true);
        } else if (status >= 400) {
            document.put("error", true);
        }
        return document;
    }

    private static byte[] randomBytes() {
        byte[] id = new byte[8];
        IDS.nextBytes(id);
        return id;
    }

    private synchronized DatagramSocket socket() throws IOException {
        if (socket == null) {
            socket = new DatagramSocket();
        }
        return socket;
    }
}
