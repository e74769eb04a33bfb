package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests read from bytes, no socket: what the server hands on, and what it refuses. */
class RequestReaderTest {
    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static RequestHead head(InputStream in) throws IOException {
        return RequestReader.head(in.read(), in);
    }

    private static HttpFailure refusal(String request) {
        return assertThrows(HttpFailure.class, () -> {
            InputStream in = bytes(request);
            RequestReader.body(head(in), in, null);
        });
    }

    @Test
    void theHead_shouldKeepOneEntryPerHeader_underItsFirstSpelling() throws IOException {
        RequestHead head = head(bytes("get /accounts/acme/keys?limit=5 HTTP/1.1\r\nX-Tag: a\r\nx-tag:  b \r\n"
                + "Host: localhost\r\n\r\n"));

        assertEquals("GET", head.method());
        assertEquals("/accounts/acme/keys", head.rawPath());
        assertEquals("limit=5", head.rawQuery());
        assertEquals(List.of("X-Tag", "Host"), List.copyOf(head.headers().keySet()));
        assertEquals(List.of("a", "b"), head.all("X-TAG"));
        assertEquals("localhost", head.first("host"));
        assertNull(head.first("Origin"));
    }

    @Test
    void keepAlive_shouldFollowTheVersionAndConnection() throws IOException {
        assertEquals(true, head(bytes("GET / HTTP/1.1\r\n\r\n")).keepAlive());
        assertEquals(false, head(bytes("GET / HTTP/1.0\r\n\r\n")).keepAlive());
        assertEquals(false, head(bytes("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n")).keepAlive());
    }

    @Test
    void aChunkedBody_shouldBeJoined_andItsTrailersDropped() throws IOException {
        InputStream in = bytes("POST /k HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"
                + "3;ext=1\r\n{\"a\r\n4\r\n\":1}\r\n0\r\nX-Trailer: t\r\n\r\nNEXT");

        byte[] body = RequestReader.body(head(in), in, null);

        assertEquals("{\"a\":1}", new String(body, StandardCharsets.UTF_8));
        assertEquals("NEXT", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1), "the next request is left unread");
    }

    @Test
    void expect100Continue_shouldBeAnsweredOnTheInterimStream_beforeTheBody() throws IOException {
        InputStream in = bytes("POST /k HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-Continue\r\n\r\n{}");
        ByteArrayOutputStream interim = new ByteArrayOutputStream();

        byte[] body = RequestReader.body(head(in), in, interim);

        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", interim.toString(StandardCharsets.ISO_8859_1));
        assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), body);
    }

    @Test
    void aBodyShorterThanAnnounced_shouldEndInEof() {
        assertThrows(EOFException.class, () -> {
            InputStream in = bytes("POST /k HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}");
            RequestReader.body(head(in), in, null);
        });
    }

    @Test
    void refusals_shouldNameTheirStatusAndCode() {
        assertEquals(413, refusal("POST /k HTTP/1.1\r\nContent-Length: " + (RequestReader.MAX_REQUEST_BYTES + 1)
                + "\r\n\r\n").status);
        assertEquals(431, refusal("GET /k HTTP/1.1\r\nX-Big: " + "a".repeat(RequestReader.MAX_HEAD_BYTES) + "\r\n\r\n").status);
        assertEquals(414, refusal("GET /" + "a".repeat(RequestReader.MAX_HEAD_BYTES) + " HTTP/1.1\r\n\r\n").status);
        assertEquals("malformed_request", refusal("GET /k HTTP/2\r\n\r\n").code);
        assertEquals("malformed_request", refusal("POST /k HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").code);
        assertEquals("malformed_request", refusal("GET /k HTTP/1.1\r\nX-Nul: a\u0000b\r\n\r\n").code);
    }

    @Test
    void aMalformedPercentEncoding_shouldBeRefused_inThePathAndTheQuery() throws IOException {
        assertEquals(400, assertThrows(HttpFailure.class,
                () -> RequestReader.checkPercentEncoding(head(bytes("GET /a%2 HTTP/1.1\r\n\r\n")))).status);
        assertEquals(400, assertThrows(HttpFailure.class,
                () -> RequestReader.checkPercentEncoding(head(bytes("GET /a?b=%G0 HTTP/1.1\r\n\r\n")))).status);
        RequestReader.checkPercentEncoding(head(bytes("GET /a%2F?b=%41 HTTP/1.1\r\n\r\n")));
    }

    /**
     * Only SP and HTAB are optional whitespace around a field value (RFC 9110, 5.6.3); Java's
     * strip() would also take U+001C to U+001F, so "Transfer-Encoding: U+001C chunked" must not read as chunked.
     */
    @ParameterizedTest(name = "char {0}")
    @ValueSource(ints = {0x1c, 0x1d, 0x1e, 0x1f, 0x00, 0x0b, 0x0c, 0x7f})
    void aControlCharacterAtEitherEndOfAValue_shouldBeRefused_notTrimmed(int c) {
        String control = String.valueOf((char) c);

        assertEquals("malformed_request", refusal("POST /k HTTP/1.1\r\nTransfer-Encoding: " + control + "chunked\r\n\r\n"
                + "0\r\n\r\n").code);
        assertEquals("malformed_request", refusal("POST /k HTTP/1.1\r\nContent-Length: 2" + control + "\r\n\r\n{}").code);
        assertEquals("malformed_request", refusal("GET /k HTTP/1.1\r\nHost: " + control + "localhost\r\n\r\n").code);
    }

    @ParameterizedTest(name = "char {0}")
    @ValueSource(ints = {0x1c, 0x1d, 0x1e, 0x1f, 0x0b, 0x0c})
    void aControlCharacterAroundAChunkSize_shouldBeRefused_notTrimmed(int c) {
        String control = String.valueOf((char) c);

        assertEquals("malformed_request", refusal("POST /k HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + control + "2\r\n{}\r\n0\r\n\r\n").code);
        assertEquals("malformed_request", refusal("POST /k HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2" + control + "\r\n{}\r\n0\r\n\r\n").code);
    }

    @Test
    void spacesAndTabsAroundAValue_shouldBeTrimmed() throws IOException {
        InputStream in = bytes("POST /k HTTP/1.1\r\nTransfer-Encoding: \t chunked \t\r\nX-Inner: a \t b\r\n\r\n"
                + "2 \t;ext\r\n{}\r\n0\r\n\r\n");
        RequestHead head = head(in);

        assertEquals("a \t b", head.first("X-Inner"));
        assertEquals("{}", new String(RequestReader.body(head, in, null), StandardCharsets.UTF_8));
    }
}
