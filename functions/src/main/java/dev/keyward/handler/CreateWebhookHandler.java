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

/** {@code POST /accounts/{accountId}/webhooks {"url", "events"}}: 201 with the endpoint and its signing secret, shown this once. */
public final class CreateWebhookHandler implements RequestStreamHandler {
    private final Webhooks webhooks;

    /** The function Lambda builds. */
    public CreateWebhookHandler() {
        this(Keyward.start(Functions.CREATE_WEBHOOK).webhooks());
    }

    public CreateWebhookHandler(WebhookPorts ports) {
        this.webhooks = new Webhooks(ports);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "POST", request -> {
            Webhooks.Registered registered = webhooks.register(request.pathParameter("accountId"),
                    WebhookRequests.newWebhook(request), request.caller());
            return Responses.created(request.basePath() + "/accounts/" + registered.endpoint().accountId()
                    + "/webhooks/" + registered.endpoint().id(),
                    WebhookJson.withSecret(registered.endpoint(), registered.secret()));
        });
    }
}
