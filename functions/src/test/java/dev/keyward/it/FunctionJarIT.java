package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The jar every function deploys: small, without the libraries that cost cold-start time, and
 * with every handler template.yaml names a stream handler (so Lambda's event serializer never loads).
 */
class FunctionJarIT {
    private static final Path JAR = Path.of("target/keyward-functions.jar");
    /**
     * Room for the clients the functions use (DynamoDB, Secrets Manager, EventBridge, SQS). What a cold
     * start pays is the classes it loads, which make bench-cold counts; the jar's size only guards
     * against a library nobody meant to ship.
     */
    private static final long MAX_BYTES = 14L * 1024 * 1024;
    private static final List<String> NOT_IN_THE_JAR = List.of(
            "com/fasterxml/jackson/databind/", "org/apache/", "io/netty/",
            "com/amazonaws/services/lambda/runtime/events/", "com/amazonaws/services/lambda/runtime/serialization/");

    @Test
    void jar_isUnderFourteenMebibytes_andHoldsNoDatabindApacheNettyOrEventClasses() throws IOException {
        assertTrue(Files.size(JAR) < MAX_BYTES, JAR + " is " + Files.size(JAR) + " bytes");
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            List<String> unwanted = zip.stream().map(e -> e.getName())
                    .filter(name -> NOT_IN_THE_JAR.stream().anyMatch(name::startsWith)).limit(5).toList();
            assertTrue(unwanted.isEmpty(), "in the jar: " + unwanted);
        }
    }

    @Test
    void everyHandlerTheTemplateNames_isAStreamHandlerInTheJar() throws Exception {
        String template = Files.readString(Path.of("../infra/template.yaml"));
        Matcher handler = Pattern.compile("Handler:\\s*([\\w.]+)::handleRequest").matcher(template);
        int found = 0;
        try (URLClassLoader jar = new URLClassLoader(new URL[]{JAR.toUri().toURL()}, null)) {
            while (handler.find()) {
                found++;
                Class<?> type = Class.forName(handler.group(1), false, jar);
                Class<?> streamHandler = Class.forName(RequestStreamHandler.class.getName(), false, jar);
                assertTrue(streamHandler.isAssignableFrom(type), handler.group(1) + " is a RequestStreamHandler");
            }
        }
        assertTrue(found >= 10, "template.yaml names " + found + " handlers");
    }
}
