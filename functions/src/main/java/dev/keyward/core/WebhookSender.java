package dev.keyward.core;

import java.net.URI;
import java.util.Map;

/** Posts one webhook over HTTP: no redirects followed, the answer's body never read. */
public interface WebhookSender {
    /**
     * @return the endpoint's HTTP status
     * @throws java.io.IOException when no answer came: refused, reset, timed out, TLS failed
     */
    int post(URI url, Map<String, String> headers, String body) throws java.io.IOException;
}
