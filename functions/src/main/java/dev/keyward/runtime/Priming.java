package dev.keyward.runtime;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.Credentials;
import dev.keyward.core.DependencyUnavailableException;
import dev.keyward.core.EventLog;
import dev.keyward.core.KeyPriming;
import dev.keyward.http.Authorizers;
import dev.keyward.telemetry.JsonEventLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * With SnapStart, walks a function's whole request path before the snapshot is taken, so the
 * classes it loads and the code it compiles are in the snapshot rather than paid for by the first
 * request after a restore: the SDK calls the function makes (as reads that write nothing), then
 * one request through the handler itself, from the JSON event to the JSON answer, for a key that
 * does not exist. It must never fail the snapshot: a failed priming is only logged.
 *
 * <p>A read AWS refuses (the list function may not read secrets) still walked the same path; only
 * no answer at all counts as a failed priming. The runtime holds registered resources weakly, so
 * every registered priming is also held here, for the life of the sandbox.
 */
public final class Priming implements Resource {
    /**
     * How often the path is walked: once loads the classes; more get the code the request runs
     * most compiled, so the first request after a restore runs close to a warm one. Each round
     * makes the function's own calls to AWS (reads that find nothing, writes refused) and walks
     * the found-item path answered from memory {@link #FROM_MEMORY_REPEATS} times.
     */
    static final int ROUNDS = 24;
    /**
     * How often each round runs the request through the SDK answered from memory, over HTTP on the
     * loopback interface ({@link CannedServices}): it costs no AWS call, and walks the found-item
     * path, the HTTP client's code included, some thousand times, past the count at which the JVM
     * compiles a method (200 calls at Lambda's {@code TieredStopAtLevel=1} with an empty compile
     * queue; several times that while the queue is long, which {@link #settle} sees to).
     */
    static final int FROM_MEMORY_REPEATS = 40;
    /** At most this many more rounds while the compiler settles ({@link #settle}). */
    static final int SETTLE_ROUNDS = 6;
    /**
     * Rounds of priming in each settle round: enough for 128 requests through the found path
     * (4 times {@link #FROM_MEMORY_REPEATS}), for the JVM weighs a method for compiling only at
     * every 128th call ({@code Tier0InvokeNotifyFreqLog}).
     */
    static final int SETTLE_WALKS = 4;
    private static final List<Priming> REGISTERED = Collections.synchronizedList(new ArrayList<>());

    private final String function;
    private final RequestStreamHandler handler;
    private final byte[] event;
    private final List<Runnable> reads;
    private final EventLog log;
    /**
     * The JIT compiler's total time so far (ms), or -1 where the JVM does not keep it; null for
     * the JVM's own, looked up only before a snapshot (nothing of it is loaded at init).
     */
    private final LongSupplier compilationTime;

    Priming(String function, RequestStreamHandler handler, byte[] event, List<Runnable> reads, EventLog log) {
        this(function, handler, event, reads, log, null);
    }

    /** With {@code compilationTime} standing in for the JIT compiler's ({@link #settle}). */
    Priming(String function, RequestStreamHandler handler, byte[] event, List<Runnable> reads, EventLog log,
            LongSupplier compilationTime) {
        this.function = function;
        this.handler = handler;
        this.event = event.clone();
        this.reads = List.copyOf(reads);
        this.log = log;
        this.compilationTime = compilationTime;
    }

    /**
     * Registers {@code function}'s priming as its {@link PrimingPlan} declares it: its handler over
     * {@code services}, the walks the plan names ({@code writesRefused} for its writes), then, if
     * the plan says so, the same function over ports that answer from memory.
     */
    static Priming register(Deployed function, Services services, Runnable writesRefused) {
        return register(function, services, writesRefused, () -> {
            throw new IllegalStateException("no answers from memory for " + function.function());
        });
    }

    /**
     * The same, with {@code throughSdk} building the services whose SDK calls are answered from
     * memory, for plans that run the found-item paths through the SDK ({@link PrimingPlan#throughSdk}).
     */
    static Priming register(Deployed function, Services services, Runnable writesRefused,
                            Supplier<CannedServices> throughSdk) {
        PrimingPlan plan = function.priming();
        List<Runnable> reads = new ArrayList<>();
        for (PrimingPlan.Walk walk : plan.walks()) {
            reads.add(switch (walk) {
                case VAULT -> new KeyPriming(services.ports())::primeVault;
                case CREATE -> new KeyPriming(services.ports())::primeCreate;
                case WRITES -> writesRefused;
            });
        }
        if (plan.inMemory()) {
            InMemoryServices inMemory = new InMemoryServices();
            byte[] event = plan.authorizerEvent() ? authorizerEvent(inMemory.allowedAuthorization())
                    : proxyEvent(function.method(), function.path(), plan.inMemoryBody());
            reads.add(offline(function.over(inMemory), event));
        }
        if (plan.sdkFromMemory()) {
            reads.add(new ThroughSdk(function, throughSdk));
        }
        byte[] event = plan.authorizerEvent() ? authorizerEvent() : proxyEvent(function.method(), function.path(), plan.body());
        return register(function.function(), function.over(services), event, reads.toArray(Runnable[]::new));
    }

    /**
     * Registers a function's priming with the runtime; without SnapStart the hook is simply never called.
     *
     * @param event the event the handler is primed with: one that reads, or is refused, and writes nothing
     * @param reads the function's other AWS calls, made first; each may fail, but not go unanswered
     */
    public static Priming register(String function, RequestStreamHandler handler, byte[] event, Runnable... reads) {
        Priming priming = new Priming(function, handler, event, List.of(reads), new JsonEventLog());
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    /** The primings registered in this sandbox. */
    static List<Priming> registered() {
        return List.copyOf(REGISTERED);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: clients hold no connection state worth keeping across a restore
    }

    /** @return true when AWS answered every call */
    public boolean prime() {
        try {
            for (int round = 0; round < ROUNDS; round++) {
                if (!primeOnce()) {
                    return false;
                }
            }
            if (!settle()) {
                return false;
            }
            log.info("primed", null, null);
            return true;
        } finally {
            for (Runnable read : reads) {
                if (read instanceof ThroughSdk walk) {
                    walk.close();
                }
            }
        }
    }

    /**
     * Walks the path again, each time once the JIT compiler is idle, until a walk gives it no new
     * work, at most {@link #SETTLE_ROUNDS} times. Two things are left otherwise, and the requests
     * after a restore would pay for both: methods called often enough but never compiled (the JVM
     * raises its compile thresholds while its queue is long, as it is all through priming, and
     * weighs a method again only at its next 128th call), and code compiled at the end of priming
     * that never ran, whose call sites are each resolved and patched on their first run. Each
     * settle round is {@link #SETTLE_WALKS} rounds of priming; false when one went unanswered.
     */
    private boolean settle() {
        LongSupplier compilationTime = this.compilationTime != null ? this.compilationTime : Priming::jitCompilationTime;
        if (compilationTime.getAsLong() < 0) {
            return true;
        }
        for (int round = 0; round < SETTLE_ROUNDS; round++) {
            long before = idleCompilationTime(compilationTime);
            for (int walk = 0; walk < SETTLE_WALKS; walk++) {
                if (!primeOnce()) {
                    return false;
                }
            }
            if (idleCompilationTime(compilationTime) == before) {
                return true;
            }
        }
        return true;
    }

    /**
     * The JIT compiler's total time (ms) once it has not changed for three polls 2 ms apart (its
     * queue is drained), or after half a second.
     */
    private static long idleCompilationTime(LongSupplier compilationTime) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        long last = compilationTime.getAsLong();
        int unchanged = 0;
        while (unchanged < 3 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
            long now = compilationTime.getAsLong();
            unchanged = now == last ? unchanged + 1 : 0;
            last = now;
        }
        return last;
    }

    /** The JVM's JIT compiler's total time (ms), -1 where it keeps none. */
    private static long jitCompilationTime() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /**
     * The found-item walk through the SDK answered from memory ({@link CannedServices}), repeated
     * {@link #FROM_MEMORY_REPEATS} times a round. Its services are built at its first walk, not at
     * init (a sandbox without SnapStart never pays for them), and closed when priming ends, so no
     * server or connection of theirs is in the snapshot; a later priming builds them again.
     */
    private static final class ThroughSdk implements Runnable, AutoCloseable {
        private final Deployed function;
        private final Supplier<CannedServices> services;
        private CannedServices canned;
        private Runnable walk;

        ThroughSdk(Deployed function, Supplier<CannedServices> services) {
            this.function = function;
            this.services = services;
        }

        @Override
        public void run() {
            if (walk == null) {
                PrimingPlan plan = function.priming();
                canned = services.get();
                byte[] event = plan.authorizerEvent() ? authorizerEvent(canned.authorization())
                        : proxyEvent(function.method(), function.path(), pathParameters(function.path(), canned.keyId()),
                        plan.inMemory() ? plan.inMemoryBody() : plan.body());
                walk = repeated(offline(function.over(canned), event), FROM_MEMORY_REPEATS);
            }
            walk.run();
        }

        @Override
        public void close() {
            if (canned != null) {
                canned.close();
            }
            canned = null;
            walk = null;
        }
    }

    private boolean primeOnce() {
        try {
            for (Runnable read : reads) {
                try {
                    read.run();
                } catch (DependencyUnavailableException noAnswer) {
                    throw noAnswer;
                } catch (RuntimeException answered) {
                    // not found, or access denied: either way AWS answered
                }
            }
        } catch (DependencyUnavailableException noAnswer) {
            log.warn("priming_failed", null, null, noAnswer);
            return false;
        }
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), answer, null);
        } catch (Authorizers.AuthorizerFailure refused) {
            if (!Authorizers.UNAUTHORIZED.equals(refused.getMessage())) {
                log.warn("priming_failed", null, null, refused);
                return false;
            }
            return true; // the authorizer's answer for a key that does not exist: API Gateway's 401
        } catch (IOException | RuntimeException e) {
            log.warn("priming_failed", null, null, e);
            return false;
        }
        Object status = status(answer.toByteArray());
        if (status instanceof Integer code && code >= 500) {
            log.warn("priming_failed", null, null, null);
            return false;
        }
        return true;
    }

    String function() {
        return function;
    }

    private static Object status(byte[] answer) {
        try {
            return JSON.std.mapFrom(answer).get("statusCode");
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * A request through a handler whose AWS calls are answered from memory ({@link PrimingPorts}):
     * the found-key path, which AWS cannot walk without data. Its answer is discarded.
     */
    public static Runnable offline(RequestStreamHandler handler, byte[] event) {
        return () -> {
            try {
                handler.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static Runnable repeated(Runnable walk, int times) {
        return () -> {
            for (int i = 0; i < times; i++) {
                walk.run();
            }
        };
    }

    /** A REST API proxy event for priming of {@code method path}, its path parameters those the path names. */
    public static byte[] proxyEvent(String method, String path, String body) {
        return proxyEvent(method, path, pathParameters(path, "{keyId}"), body);
    }

    /** The parameters {@code path} names, {@code {keyId}} as {@code keyId}. */
    private static Map<String, String> pathParameters(String path, String keyId) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String segment : path.split("/")) {
            if (segment.startsWith("{") && segment.endsWith("}")) {
                parameters.put(segment.substring(1, segment.length() - 1), segment.equals("{keyId}") ? keyId : segment);
            }
        }
        return parameters;
    }

    /** A REST API proxy event for priming, on the priming account, as API Gateway would send it. */
    public static byte[] proxyEvent(String method, String path, Map<String, String> pathParameters, String body) {
        String resolved = path.replace("{accountId}", KeyPriming.PRIMING_ACCOUNT).replace("{keyId}", KeyPriming.PRIMING_KEY);
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("userArn", "arn:aws:iam::000000000000:role/keyward-priming");
        Map<String, Object> requestContext = new LinkedHashMap<>();
        requestContext.put("path", "/priming" + resolved);
        requestContext.put("identity", identity);
        requestContext.put("authorizer", Map.of("accountId", KeyPriming.PRIMING_ACCOUNT, "keyId", KeyPriming.PRIMING_KEY));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", path);
        event.put("path", resolved);
        event.put("httpMethod", method);
        event.put("headers", Map.of("Content-Type", "application/json"));
        Map<String, String> parameters = new LinkedHashMap<>();
        pathParameters.forEach((name, value) -> parameters.put(name,
                value.replace("{accountId}", KeyPriming.PRIMING_ACCOUNT).replace("{keyId}", KeyPriming.PRIMING_KEY)));
        event.put("pathParameters", parameters);
        event.put("requestContext", requestContext);
        event.put("body", body);
        event.put("isBase64Encoded", false);
        return json(event);
    }

    /**
     * A REQUEST authorizer event for priming: well-formed credentials (checksum and all) of a
     * client that does not exist, so the check reads DynamoDB once and denies.
     */
    public static byte[] authorizerEvent() {
        String credentials = Credentials.newClientId() + ":" + Credentials.newClientSecret();
        return authorizerEvent("Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] authorizerEvent(String authorization) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "REQUEST");
        event.put("methodArn", "arn:aws:execute-api:us-east-1:000000000000:priming/priming/GET/whoami");
        event.put("headers", Map.of("Authorization", authorization));
        event.put("requestContext", Map.of("identity", Map.of("sourceIp", "192.0.2.1")));
        return json(event);
    }

    private static byte[] json(Map<String, Object> event) {
        try {
            return JSON.std.asBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
