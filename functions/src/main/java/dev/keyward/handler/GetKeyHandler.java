package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyViews;
import dev.keyward.http.Api;
import dev.keyward.http.KeyJson;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/** {@code GET /accounts/{accountId}/keys/{keyId}}: the "Edit" view, Client ID and Client Secret. */
public final class GetKeyHandler implements RequestStreamHandler {
    private final KeyViews views;
    private final Clock clock;

    /** The function Lambda builds. */
    public GetKeyHandler() {
        this(Keyward.start(Functions.GET_KEY).ports());
    }

    public GetKeyHandler(KeyPorts ports) {
        this.views = new KeyViews(ports);
        this.clock = ports.clock();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "GET", request -> Responses.json(200, KeyJson.withSecret(
                views.get(request.pathParameter("accountId"), request.pathParameter("keyId"), request.caller()), clock.instant())));
    }
}
