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

/** {@code DELETE /accounts/{accountId}/webhooks/{webhookId}}: 204; nothing more is delivered to it. */
public final class DeleteWebhookHandler implements RequestStreamHandler {
    private final Webhooks webhooks;

    /** The function Lambda builds. */
    public DeleteWebhookHandler() {
        this(Keyward.start(Functions.DELETE_WEBHOOK).webhooks());
    }

    public DeleteWebhookHandler(WebhookPorts ports) {
        this.webhooks = new Webhooks(ports);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "DELETE", request -> {
            webhooks.delete(request.pathParameter("accountId"), request.pathParameter("webhookId"));
            return Responses.noContent();
        });
    }
}
