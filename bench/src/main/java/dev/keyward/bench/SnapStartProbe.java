package dev.keyward.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * SnapStart as the function sees it, in a JVM started with Lambda's flags: the handler's class
 * loaded from the task root and built (init), a GC (the runtime holds CRaC resources weakly, so
 * what nothing else references is gone by the snapshot), the registered {@code beforeCheckpoint}
 * hooks then the {@code afterRestore} hooks, called through the runtime client's CRaC context as
 * the runtime client calls them, then the first request and the warm ones, timed in process.
 * Prints one line (ms): init, the beforeCheckpoint hooks, the first request, the back-to-back
 * median and p99, the request thread's CPU time per back-to-back request (median) and for the
 * first request, then the median of the requests after an idle while ({@link #AFTER_IDLE}) and
 * their CPU time.
 *
 * <p>Arguments: the task root, the handler class, a folder of events (the first is the first
 * request), and for an event-object handler its event class.
 */
public final class SnapStartProbe {
    /** Starts the line the probe answers with; the function's own log lines share standard output. */
    static final String RESULT = "snapstart: ";
    /**
     * The last events are requests made each after {@link #IDLE_MS} with nothing to do, as
     * requests arrive at a sandbox that is not busy: the CPU's caches have cooled as they have
     * for the first request after a restore, so the two compare what priming did, where the
     * back-to-back median also counts caches kept warm by the request before.
     */
    static final int AFTER_IDLE = 10;
    static final long IDLE_MS = 100;

    private SnapStartProbe() {
    }

    /**
     * The request thread's CPU time per warm request, the SDK's calls included (the URLConnection
     * client works on the calling thread): what a function's memory size buys more or less of.
     * Built before the handler, so its classes are not counted against the first request.
     */
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        Path taskRoot = Path.of(args[0]);
        List<URL> path = new ArrayList<>(List.of(taskRoot.toUri().toURL()));
        if (Files.isDirectory(taskRoot.resolve("lib"))) {
            try (Stream<Path> jars = Files.list(taskRoot.resolve("lib"))) {
                for (Path jar : jars.sorted().toList()) {
                    path.add(jar.toUri().toURL());
                }
            }
        }
        List<byte[]> events = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(args[2]))) {
            for (Path file : files.sorted().toList()) {
                events.add(Files.readAllBytes(file));
            }
        }
        ClassLoader customer = new URLClassLoader(path.toArray(URL[]::new), ClassLoader.getSystemClassLoader());
        Thread.currentThread().setContextClassLoader(customer);

        long initStart = System.nanoTime();
        Object handler = Class.forName(args[1], true, customer).getConstructor().newInstance();
        double initMs = (System.nanoTime() - initStart) / 1e6;
        Invoker handle = invoker(handler, args.length > 3 ? args[3] : null, customer);

        // the runtime client's native library, which its CRaC context calls (clearing the DNS cache)
        System.load(System.getProperty("com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI"));
        System.gc();
        Class<?> core = Class.forName("com.amazonaws.services.lambda.crac.Core");
        Class<?> context = Class.forName("com.amazonaws.services.lambda.crac.Context");
        Object global = core.getMethod("getGlobalContext").invoke(null);
        long hooksStart = System.nanoTime();
        context.getMethod("beforeCheckpoint", context).invoke(global, new Object[]{null});
        double beforeMs = (System.nanoTime() - hooksStart) / 1e6;
        context.getMethod("afterRestore", context).invoke(global, new Object[]{null});

        // loaded only to mark, in a class log, which classes the first request loaded
        Class.forName(FirstRequestStarts.class.getName());
        long firstCpuStart = THREADS.getCurrentThreadCpuTime();
        double first = call(handle, handler, events.get(0));
        double firstCpu = (THREADS.getCurrentThreadCpuTime() - firstCpuStart) / 1e6;
        Class.forName(FirstRequestEnded.class.getName());
        int backToBack = events.size() - 1 - AFTER_IDLE;
        double[] warm = new double[backToBack];
        double[] warmCpu = new double[backToBack];
        for (int i = 0; i < backToBack; i++) {
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            warm[i] = call(handle, handler, events.get(1 + i));
            warmCpu[i] = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6;
        }
        double[] idle = new double[AFTER_IDLE];
        double[] idleCpu = new double[AFTER_IDLE];
        for (int i = 0; i < AFTER_IDLE; i++) {
            Thread.sleep(IDLE_MS);
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            idle[i] = call(handle, handler, events.get(1 + backToBack + i));
            idleCpu[i] = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6;
        }
        System.out.println(RESULT + String.format(Locale.ROOT, "%.3f %.3f %.3f %.3f %.3f %.3f %.3f %.3f %.3f",
                initMs, beforeMs, first, median(warm), p99(warm), median(warmCpu), firstCpu, median(idle), median(idleCpu)));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double p99(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
    }

    /** Marks, in a class log, where the first request after the restore starts. */
    static final class FirstRequestStarts {
    }

    /** Marks, in a class log, where the first request after the restore ended. */
    static final class FirstRequestEnded {
    }

    /** Calls the handler with the event's JSON and writes its answer's JSON, as the runtime client does. */
    private interface Invoker {
        void invoke(Object handler, InputStream in, OutputStream out) throws Exception;
    }

    /**
     * A stream handler is called as it is; an event-object handler through the runtime's own
     * serializer for its event type (named by the last argument), as the runtime client calls it.
     */
    private static Invoker invoker(Object handler, String eventType, ClassLoader customer) throws Exception {
        Class<?> context = Class.forName("com.amazonaws.services.lambda.runtime.Context");
        if (handler instanceof RequestStreamHandler) {
            // called through the interface, as the runtime client calls a stream handler: a
            // reflective call would spin method handles at its first use on JDK 18 and later
            return (h, in, out) -> ((RequestStreamHandler) h).handleRequest(in, out, null);
        }
        if (eventType == null) {
            Method stream = handler.getClass().getMethod("handleRequest", InputStream.class, OutputStream.class, context);
            return (h, in, out) -> stream.invoke(h, in, out, null);
        }
        Class<?> type = Class.forName(eventType, true, customer);
        Method pojo = handler.getClass().getMethod("handleRequest", Object.class, context);
        Class<?> serializers = Class.forName("com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers");
        Method serializerFor = serializers.getMethod("serializerFor", Class.class, ClassLoader.class);
        Object input = serializerFor.invoke(null, type, customer);
        Class<?> pojoSerializer = Class.forName("com.amazonaws.services.lambda.runtime.serialization.PojoSerializer");
        Method fromJson = pojoSerializer.getMethod("fromJson", InputStream.class);
        Method toJson = pojoSerializer.getMethod("toJson", Object.class, OutputStream.class);
        return (h, in, out) -> {
            Object answer = pojo.invoke(h, fromJson.invoke(input, in), null);
            Object output = serializerFor.invoke(null, answer.getClass(), customer);
            toJson.invoke(output, answer, out);
        };
    }

    private static double call(Invoker handle, Object handler, byte[] event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long start = System.nanoTime();
        handle.invoke(handler, new ByteArrayInputStream(event), out);
        double ms = (System.nanoTime() - start) / 1e6;
        if (out.size() == 0) {
            throw new IllegalStateException("the handler wrote nothing");
        }
        return ms;
    }
}
