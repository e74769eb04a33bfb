package dev.keyward.local;

import dev.keyward.http.Problems;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a {@link Gateway.Reply} as an HTTP/1.1 response. The framing is the server's own: a
 * reply's Content-Length, Connection and Transfer-Encoding headers are dropped and written anew,
 * and no header value can break a line.
 */
final class ResponseWriter {
    private ResponseWriter() {
    }

    /** A problem+json answer from the local API itself, as API Gateway gives its own. */
    static Gateway.Reply problem(int status, String code, String detail, Map<String, String> extraHeaders) {
        String requestId = UUID.randomUUID().toString();
        return Gateway.reply(Problems.of(status, code, detail, requestId, extraHeaders), requestId);
    }

    /**
     * @param method the request's, for HEAD (no body is sent)
     * @param close  whether to say {@code Connection: close}
     */
    static void write(OutputStream out, String method, Gateway.Reply reply, boolean close) throws IOException {
        int status = reply.status();
        boolean noBody = method.equals("HEAD") || status == 204 || status == 304 || status < 200;
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(status).append(' ').append(Problems.title(status)).append("\r\n");
        reply.headers().forEach((name, values) -> {
            if (!Headers.named(name, "Content-Length", "Connection", "Transfer-Encoding")) {
                for (String value : values) {
                    head.append(name).append(": ").append(value.replaceAll("[\\r\\n]", " ")).append("\r\n");
                }
            }
        });
        if (status != 204 && status != 304 && status >= 200) {
            head.append("Content-Length: ").append(reply.body().length).append("\r\n");
        }
        if (close) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!noBody) {
            out.write(reply.body());
        }
        out.flush();
    }
}
