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

/** {@code POST /accounts/{accountId}/webhooks/{webhookId}/test}: posts a signed {@code webhook.test} event now, once, and answers how it went (200 either way). */
public final class TestWebhookHandler implements RequestStreamHandler {
    private final Webhooks webhooks;

    /** The function Lambda builds. */
    public TestWebhookHandler() {
        this(Keyward.start(Functions.TEST_WEBHOOK).webhooks());
    }

    public TestWebhookHandler(WebhookPorts ports) {
        this.webhooks = new Webhooks(ports);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "POST", request -> Responses.json(200,
                WebhookJson.delivery(webhooks.sendTest(request.pathParameter("accountId"), request.pathParameter("webhookId"),
                        request.caller()))));
    }
}
