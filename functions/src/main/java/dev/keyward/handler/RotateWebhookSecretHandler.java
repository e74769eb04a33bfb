package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.core.WebhookPorts;
import dev.keyward.core.Webhooks;
import dev.keyward.http.Api;
import dev.keyward.http.Responses;
import dev.keyward.http.WebhookJson;
import dev.keyward.http.WebhookRequests;
import dev.keyward.runtime.Keyward;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code POST /accounts/{accountId}/webhooks/{webhookId}/rotate-secret}, with an optional body
 * {@code {"overlapSeconds": 0..86400}}: 200 with the new signing secret, shown this once, and when
 * the previous one stops signing deliveries ({@code previousSecretValidUntil}; by default a day on,
 * null with 0: at once). Deliveries are signed with the new one from now on.
 */
public final class RotateWebhookSecretHandler implements RequestStreamHandler {
    private final Webhooks webhooks;

    /** The function Lambda builds. */
    public RotateWebhookSecretHandler() {
        this(Keyward.start(Functions.ROTATE_WEBHOOK_SECRET).webhooks());
    }

    public RotateWebhookSecretHandler(WebhookPorts ports) {
        this.webhooks = new Webhooks(ports);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "POST", request -> {
            String accountId = request.pathParameter("accountId");
            Webhooks.RotatedSecret rotated = webhooks.rotateSecret(accountId, request.pathParameter("webhookId"),
                    WebhookRequests.overlapSeconds(request, accountId));
            return Responses.json(200, WebhookJson.rotated(rotated));
        });
    }
}
