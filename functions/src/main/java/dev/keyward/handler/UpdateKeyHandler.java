package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyUpdate;
import dev.keyward.core.KeyUpdates;
import dev.keyward.http.Api;
import dev.keyward.http.KeyRequests;
import dev.keyward.http.KeyJson;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/**
 * {@code PATCH /accounts/{accountId}/keys/{keyId} {"name"?, "expiresAt"?, "scopes"?}}: the Edit
 * screen's changes (a member left out stays as it is); 200 with the key, no secret.
 */
public final class UpdateKeyHandler implements RequestStreamHandler {
    private final KeyUpdates updates;
    private final Clock clock;

    /** The function Lambda builds. */
    public UpdateKeyHandler() {
        this(Keyward.start(Functions.UPDATE_KEY).ports());
    }

    public UpdateKeyHandler(KeyPorts ports) {
        this.updates = new KeyUpdates(ports);
        this.clock = ports.clock();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "PATCH", request -> {
            KeyUpdate change = KeyRequests.keyUpdate(request);
            return Responses.json(200, KeyJson.withoutSecret(updates.update(request.pathParameter("accountId"),
                    request.pathParameter("keyId"), change, request.caller()), clock.instant()));
        });
    }
}
