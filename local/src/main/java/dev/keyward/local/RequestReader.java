package dev.keyward.local;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 request from a stream: the request line and headers ({@link #head}), then the
 * body ({@link #body}), the target checked in between ({@link #checkPercentEncoding}). It knows nothing of sockets or deadlines, so it is tested on bytes; every
 * refusal is an {@link HttpFailure} naming the answer:
 * <ul>
 *   <li>request line over {@value #MAX_HEAD_BYTES} bytes: 414; request line and headers over
 *       {@value #MAX_HEAD_BYTES} bytes or more than {@value #MAX_HEADERS} headers: 431 (API
 *       Gateway's own limit on the two together is 10,240 bytes);</li>
 *   <li>a body over {@value #MAX_REQUEST_BYTES} bytes (API Gateway's payload limit): 413, before
 *       it is read;</li>
 *   <li>a malformed request line, percent-encoding, header or length: 400.</li>
 * </ul>
 * A stream that ends mid-request is an {@link EOFException}.
 */
final class RequestReader {
    /** API Gateway's largest request payload. */
    static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    /** The request line and the header section together, as API Gateway counts them. */
    static final int MAX_HEAD_BYTES = 10 * 1024;
    static final int MAX_HEADERS = 100;

    private RequestReader() {
    }

    /** The request line and headers, {@code first} being the request's first byte, already read. */
    static RequestHead head(int first, InputStream in) throws IOException {
        int[] used = {0};
        String requestLine = line(first, in, used, true);
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !parts[0].matches("[A-Za-z]{1,16}") || !parts[2].matches("HTTP/1\\.[01]")) {
            throw new HttpFailure(400, "malformed_request", "The request line must be 'METHOD /path HTTP/1.1'.");
        }
        if (!parts[1].startsWith("/") || !parts[1].chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new HttpFailure(400, "malformed_request",
                    "The request target must be a path starting with '/', in printable ASCII.");
        }
        int query = parts[1].indexOf('?');
        RequestHead head = new RequestHead(parts[0].toUpperCase(Locale.ROOT),
                query < 0 ? parts[1] : parts[1].substring(0, query),
                query < 0 ? null : parts[1].substring(query + 1), parts[2]);
        int count = 0;
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new EOFException();
            }
            String line = line(next, in, used, false);
            if (line.isEmpty()) {
                return head;
            }
            if (++count > MAX_HEADERS) {
                throw new HttpFailure(431, "header_fields_too_large",
                        "The request has more than " + MAX_HEADERS + " headers.");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !line.substring(0, colon).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new HttpFailure(400, "malformed_request", "A header line is not 'Name: value'.");
            }
            // checked before trimming: String.strip() would also take U+001C to U+001F off the ends
            String value = line.substring(colon + 1);
            if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                throw new HttpFailure(400, "malformed_request", "A header value holds a control character.");
            }
            Headers.add(head.headers(), line.substring(0, colon), trimWhitespace(value));
        }
    }

    /**
     * The body by Content-Length or chunked, never more than {@link #MAX_REQUEST_BYTES}.
     *
     * @param interim where to send "100 Continue" when the client waits for it, or null to never send it
     */
    static byte[] body(RequestHead head, InputStream in, OutputStream interim) throws IOException {
        List<String> lengths = head.all("Content-Length");
        List<String> codings = head.all("Transfer-Encoding");
        if (!codings.isEmpty()) {
            if (!lengths.isEmpty()) {
                throw new HttpFailure(400, "malformed_request", "Send Content-Length or Transfer-Encoding, not both.");
            }
            if (codings.size() != 1 || !codings.get(0).equalsIgnoreCase("chunked")) {
                throw new HttpFailure(400, "malformed_request", "The only transfer coding accepted is chunked.");
            }
            continueIfExpected(head, interim);
            return chunked(in);
        }
        if (lengths.isEmpty()) {
            return new byte[0];
        }
        String first = lengths.get(0);
        for (String length : lengths) {
            if (!length.equals(first) || !length.matches("[0-9]{1,12}")) {
                throw new HttpFailure(400, "malformed_request", "Content-Length must be one decimal number.");
            }
        }
        long length = Long.parseLong(first);
        if (length > MAX_REQUEST_BYTES) {
            throw new HttpFailure(413, "payload_too_large",
                    "The body is " + length + " bytes; at most " + MAX_REQUEST_BYTES + " are accepted.");
        }
        continueIfExpected(head, interim);
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new EOFException();
        }
        return body;
    }

    /** Refuses a path or query with a '%' not followed by two hexadecimal digits. */
    static void checkPercentEncoding(RequestHead head) throws HttpFailure {
        checkPercentEncoding(head.rawPath(), "path");
        if (head.rawQuery() != null) {
            checkPercentEncoding(head.rawQuery(), "query");
        }
    }

    private static void checkPercentEncoding(String raw, String where) throws HttpFailure {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    throw new HttpFailure(400, "malformed_request", "The " + where
                            + " has a '%' that is not followed by two hexadecimal digits; encode '%' itself as %25.");
                }
            }
        }
    }

    private static void continueIfExpected(RequestHead head, OutputStream interim) throws IOException {
        String expect = head.first("Expect");
        if (interim != null && expect != null && expect.equalsIgnoreCase("100-continue")) {
            interim.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            interim.flush();
        }
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in.read(), in, new int[1], false);
            String size = trimWhitespace(sizeLine.split(";", 2)[0]);
            if (!size.matches("[0-9A-Fa-f]{1,7}")) {
                throw new HttpFailure(400, "malformed_request", "A chunk size is not a hexadecimal number.");
            }
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                // trailers, up to the empty line
                while (!line(in.read(), in, new int[1], false).isEmpty()) {
                    // dropped, as API Gateway drops them
                }
                return body.toByteArray();
            }
            if (body.size() + (long) n > MAX_REQUEST_BYTES) {
                throw new HttpFailure(413, "payload_too_large",
                        "The body is over " + MAX_REQUEST_BYTES + " bytes, the most accepted.");
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length < n) {
                throw new EOFException();
            }
            body.write(chunk);
            if (!line(in.read(), in, new int[1], false).isEmpty()) {
                throw new HttpFailure(400, "malformed_request", "A chunk is longer than its size says.");
            }
        }
    }

    /** Without the spaces and tabs at either end: the only optional whitespace in HTTP (RFC 9110, 5.6.3). */
    static String trimWhitespace(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        return value.substring(start, end);
    }

    /** One line without its CRLF (or bare LF), counting bytes against {@link #MAX_HEAD_BYTES}. */
    private static String line(int first, InputStream in, int[] used, boolean requestLine) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        int b = first;
        while (b != '\n') {
            if (b < 0) {
                throw new EOFException();
            }
            if (++used[0] > MAX_HEAD_BYTES) {
                throw requestLine
                        ? new HttpFailure(414, "uri_too_long", "The request line is over " + MAX_HEAD_BYTES + " bytes.")
                        : new HttpFailure(431, "header_fields_too_large",
                                "The request line and headers are over " + MAX_HEAD_BYTES + " bytes together.");
            }
            bytes.write(b);
            b = in.read();
        }
        used[0]++;
        byte[] line = bytes.toByteArray();
        int length = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
        if (!requestLine && length > 0 && (line[0] == ' ' || line[0] == '\t')) {
            throw new HttpFailure(400, "malformed_request", "Folded header lines are not accepted.");
        }
        return new String(line, 0, length, StandardCharsets.ISO_8859_1);
    }
}
