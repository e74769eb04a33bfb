package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.core.WebhookPorts;
import dev.keyward.core.Webhooks;
import dev.keyward.http.Api;
import dev.keyward.http.Responses;
import dev.keyward.http.WebhookJson;
import dev.keyward.runtime.Keyward;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** {@code GET /accounts/{accountId}/webhooks/{webhookId}}: the endpoint and its recent deliveries, never its secret. */
public final class GetWebhookHandler implements RequestStreamHandler {
    private final Webhooks webhooks;

    /** The function Lambda builds. */
    public GetWebhookHandler() {
        this(Keyward.start(Functions.GET_WEBHOOK).webhooks());
    }

    public GetWebhookHandler(WebhookPorts ports) {
        this.webhooks = new Webhooks(ports);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "GET", request -> Responses.json(200,
                WebhookJson.of(webhooks.get(request.pathParameter("accountId"), request.pathParameter("webhookId")))));
    }
}
