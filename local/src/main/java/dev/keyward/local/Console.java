package dev.keyward.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The admin console's static files: {@code /} is the page, {@code /console/*} its script and
 * style. Read from a folder when one is given (edits show on reload), else from the classpath.
 */
final class Console {
    private static final Pattern ASSET = Pattern.compile("/console/[a-z0-9-]+\\.(html|css|js|svg|json)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "json", "application/json");

    private final Path folder;

    /** @param folder where the files are, or null to read them from the classpath */
    Console(Path folder) {
        this.folder = folder;
    }

    /** The file for {@code GET path}, or null when the path is not the console's (the API's then). */
    Gateway.Reply serve(String method, String rawPath) throws IOException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return null;
        }
        String name;
        if (rawPath.equals("/")) {
            name = "index.html";
        } else if (ASSET.matcher(rawPath).matches()) {
            name = rawPath.substring("/console/".length());
        } else {
            return null;
        }
        byte[] body = read(name);
        if (body == null) {
            return null;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of(TYPES.get(name.substring(name.lastIndexOf('.') + 1))));
        headers.put("Cache-Control", List.of("no-store"));
        headers.put("X-Content-Type-Options", List.of("nosniff"));
        // the page shows secrets: nothing but its own files may run in it or frame it
        headers.put("Content-Security-Policy", List.of("default-src 'self'; img-src 'self' data:; "
                + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"));
        headers.put("Referrer-Policy", List.of("no-referrer"));
        return new Gateway.Reply(200, headers, body);
    }

    private byte[] read(String name) throws IOException {
        if (folder != null) {
            Path file = folder.resolve(name);
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        }
        try (InputStream in = Console.class.getResourceAsStream("/console/" + name)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
