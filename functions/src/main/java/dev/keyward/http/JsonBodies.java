package dev.keyward.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.ErrorCode;
import dev.keyward.core.KeywardException;
import java.io.IOException;
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

    /** A field name fit to echo back: short, printable. */
    static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String location(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException p && p.getLocation() != null) {
            return " (line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr() + ")";
        }
        return "";
    }
}
