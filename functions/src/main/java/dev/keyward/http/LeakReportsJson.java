package dev.keyward.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.keyward.core.ErrorCode;
import dev.keyward.core.KeywardException;
import dev.keyward.core.LeakFeedback;
import dev.keyward.core.LeakReport;
import dev.keyward.core.LeakResponder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GitHub's secret-scanning partner format: a report is a JSON array of
 * {@code {"token","type","url","source"}}; the answer an array of
 * {@code {"token_raw","token_type","label"}}.
 */
public final class LeakReportsJson {
    private LeakReportsJson() {
    }

    /**
     * The report's entries, refusing more than {@link LeakResponder#MAX_TOKENS} before reading the rest.
     *
     * @throws KeywardException 400 when the body is not such an array, 413 when it holds too many entries
     */
    public static List<LeakReport> parse(byte[] body) {
        List<LeakReport> reports = new ArrayList<>();
        try (JsonParser parser = JsonBodies.FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw invalid("The body must be a JSON array of {token, type, url, source}.");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                if (reports.size() == LeakResponder.MAX_TOKENS) {
                    throw LeakResponder.tooManyTokens(LeakResponder.MAX_TOKENS + 1);
                }
                Map<String, Object> entry = JsonBodies.STRICT.mapFrom(parser);
                if (!(entry.get("token") instanceof String token)) {
                    throw invalid("Entry " + (reports.size() + 1) + " has no \"token\" string.");
                }
                reports.add(new LeakReport(token, text(entry, "type"), text(entry, "url"), text(entry, "source")));
            }
            if (parser.currentToken() != JsonToken.END_ARRAY || parser.nextToken() != null) {
                throw invalid("The body must be a JSON array of {token, type, url, source} objects and nothing else.");
            }
            return reports;
        } catch (IOException e) {
            // the parser's message quotes the body, which holds secrets: say nothing of it
            throw invalid("The body is not valid JSON.");
        }
    }

    public static List<Map<String, Object>> feedback(List<LeakFeedback> answers) {
        List<Map<String, Object>> json = new ArrayList<>(answers.size());
        for (LeakFeedback answer : answers) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("token_raw", answer.tokenRaw());
            entry.put("token_type", answer.tokenType());
            entry.put("label", answer.label().wireName());
            json.add(entry);
        }
        return json;
    }

    private static String text(Map<String, Object> entry, String member) {
        Object value = entry.get(member);
        return value instanceof String s ? s : null;
    }

    private static KeywardException invalid(String detail) {
        return new KeywardException(ErrorCode.INVALID_REPORT, detail);
    }
}
