package dev.keyward.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.ErrorCode;
import dev.keyward.core.KeywardException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Strict JSON in and out: one object per body, no duplicate members, nothing after it. */
public final class JsonBodies {
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    static final JSON STRICT = JSON.builder(FACTORY).build();
    /** Writes null members too: {@code "nextCursor": null} says "last page" explicitly. */
    private static final JSON WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    private JsonBodies() {
    }

    static Map<String, Object> parseObject(byte[] body) {
        if (body.length == 0) {
            throw new KeywardException(ErrorCode.INVALID_JSON, "A JSON object body is required.");
        }
        return parseObject(utf8(body));
    }

    /**
     * A body that reached the function as text. API Gateway hands bytes that were not UTF-8 on as
     * U+FFFD, so a literal U+FFFD in the text is read as what it almost always is: a body that
     * was not UTF-8. (Written as a JSON escape it parses, and the name rules refuse it.)
     */
    static Map<String, Object> parseObject(String body) {
        if (body.isEmpty()) {
            throw new KeywardException(ErrorCode.INVALID_JSON, "A JSON object body is required.");
        }
        if (body.indexOf('\uFFFD') >= 0) {
            throw notUtf8();
        }
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new KeywardException(ErrorCode.INVALID_JSON, "The body must be a JSON object.");
            }
            Map<String, Object> object = STRICT.mapFrom(parser);
            if (parser.nextToken() != null) {
                throw new KeywardException(ErrorCode.INVALID_JSON, "The body holds more than one JSON value.");
            }
            return object;
        } catch (IOException e) {
            // the parser's message quotes the body, which may hold a secret: say where, not what
            throw new KeywardException(ErrorCode.INVALID_JSON, "The body is not valid JSON"
                    + location(e) + ".");
        }
    }

    /**
     * A member that must be a JSON string when present.
     *
     * @return the string, or null when the member is absent
     */
    public static String optionalString(Map<String, Object> object, String member, ErrorCode error) {
        Object value = object.get(member);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new KeywardException(error, "'" + member + "' must be a JSON string.");
    }

    public static String write(Object value) {
        try {
            return WRITER.asString(value);
        } catch (IOException e) {
            throw new IllegalStateException("Maps of strings and numbers always serialize", e);
        }
    }

    /** The bytes as UTF-8, refusing (never replacing) malformed and overlong sequences and lone surrogates. */
    static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw notUtf8();
        }
    }

    private static KeywardException notUtf8() {
        return new KeywardException(ErrorCode.INVALID_JSON, "The body is not valid UTF-8; JSON must be sent as UTF-8.");
    }

    private static String location(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException p && p.getLocation() != null) {
            return " (line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr() + ")";
        }
        return "";
    }
}
