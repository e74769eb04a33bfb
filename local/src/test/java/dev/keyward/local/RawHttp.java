package dev.keyward.local;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Bytes on a socket, for requests that no well-behaved HTTP client would send: malformed
 * percent-encodings, huge or many headers, a foreign Host, a body shorter than announced.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** An answer: status, headers by lower-case name, body as text; status 0 when the connection broke first. */
    record Answer(int status, Map<String, String> headers, String body) {
        Map<String, Object> json() {
            try {
                return JSON.std.mapFrom(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A request head with {@code Host: 127.0.0.1} and {@code Connection: close}, then {@code extra} lines. */
    static byte[] request(String method, String target, String... extra) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (String line : extra) {
            head.append(line).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Sends {@code bytes} (from another thread, so a server answering early is read) and reads the answer. */
    static Answer exchange(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            Thread sender = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int off = 0; off < bytes.length; off += 65536) {
                        out.write(bytes, off, Math.min(65536, bytes.length - off));
                    }
                    out.flush();
                } catch (IOException ignored) {
                    // the server closed after answering early: what is read below says what happened
                }
            });
            sender.setDaemon(true);
            sender.start();
            return read(socket.getInputStream());
        }
    }

    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (SocketException e) {
            if (all.size() == 0) {
                return new Answer(0, Map.of(), "connection broken: " + e.getMessage());
            }
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return new Answer(0, Map.of(), text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
}
