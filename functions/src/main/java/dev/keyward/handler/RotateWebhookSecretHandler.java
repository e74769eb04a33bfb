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
import java.util.Map;

/** {@code POST /accounts/{accountId}/webhooks/{webhookId}/rotate-secret}: 200 with the new signing secret, shown this once; deliveries are signed with it from now on. */
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
        Api.serve(input, output, context, "POST", request -> Responses.json(200, Map.of("secret",
                webhooks.rotateSecret(request.pathParameter("accountId"), request.pathParameter("webhookId")))));
    }
}
