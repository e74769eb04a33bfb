package dev.keyward.local;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as it reached the local API, before API Gateway's treatment.
 *
 * @param rawPath  the path as sent, still percent-encoded
 * @param rawQuery the query as sent, or null without one
 * @param headers  every header with all its values, in the order received
 * @param host     the Host the client addressed, for the event's domainName
 */
record IncomingRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                       byte[] body, String sourceIp, String host) {
}
