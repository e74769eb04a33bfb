package dev.keyward.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Where a JVM's loaded classes came from, by package prefix: read from an {@code -Xlog:class+load} file. */
final class ClassLog {
    private ClassLog() {
    }

    static String summary(String name, Path log) throws IOException {
        List<String> classes = Files.readAllLines(log).stream()
                .filter(l -> l.contains("[class,load]"))
                .map(l -> l.replaceFirst("^.*\\[class,load\\]\\s+", "").split(" ")[0])
                .toList();
        Map<String, Long> byPrefix = classes.stream().collect(Collectors.groupingBy(ClassLog::prefix,
                LinkedHashMap::new, Collectors.counting()));
        StringBuilder out = new StringBuilder(String.format("%nClasses loaded by %s (one extra cold start, %s): %d%n",
                name, log.getFileName(), classes.size()));
        byPrefix.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(20)
                .forEach(e -> out.append(String.format("  %6d  %s%n", e.getValue(), e.getKey())));
        return out.toString();
    }

    /**
     * The classes a SnapStart probe's first request after the restore loaded (between its two
     * marker classes), their count and the first {@code shown} of them: what priming left out.
     */
    static String firstRequest(String name, Path log, int shown) throws IOException {
        List<String> classes = Files.readAllLines(log).stream()
                .filter(l -> l.contains("[class,load]"))
                .map(l -> l.replaceFirst("^.*\\[class,load\\]\\s+", "").split(" ")[0])
                .toList();
        int start = classes.indexOf(SnapStartProbe.FirstRequestStarts.class.getName());
        int end = classes.indexOf(SnapStartProbe.FirstRequestEnded.class.getName());
        if (start < 0 || end < start) {
            return String.format("  %s: no first-request markers in %s%n", name, log.getFileName());
        }
        List<String> loaded = classes.subList(start + 1, end);
        StringBuilder out = new StringBuilder(String.format("  %-12s %4d classes loaded by the first request after restore%s%n",
                name, loaded.size(), loaded.isEmpty() ? "" : ", first ones:"));
        loaded.stream().limit(shown).forEach(c -> out.append("      ").append(c).append('\n'));
        return out.toString();
    }

    private static String prefix(String className) {
        String[] parts = className.split("\\.");
        int depth = className.startsWith("software.amazon.awssdk.") ? 5
                : className.startsWith("com.amazonaws.") ? 6 : className.startsWith("java.") ? 2 : 3;
        return String.join(".", java.util.Arrays.copyOf(parts, Math.min(depth, parts.length - 1)));
    }
}
