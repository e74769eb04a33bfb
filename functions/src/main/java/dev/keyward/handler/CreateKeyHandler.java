package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.KeyCreation;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.NewKey;
import dev.keyward.core.KeyWithSecret;
import dev.keyward.http.Api;
import dev.keyward.http.KeyRequests;
import dev.keyward.http.ApiRequest;
import dev.keyward.http.KeyJson;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/**
 * {@code POST /accounts/{accountId}/keys {"name": "...", "expiresAt"?: "...", "scopes"?: [...]}}:
 * 201 with the new key and its secret.
 */
public final class CreateKeyHandler implements RequestStreamHandler {
    private final KeyCreation creation;
    private final Clock clock;

    /** The function Lambda builds. */
    public CreateKeyHandler() {
        this(Keyward.start(Functions.CREATE_KEY).ports());
    }

    public CreateKeyHandler(KeyPorts ports) {
        this.creation = new KeyCreation(ports);
        this.clock = ports.clock();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "POST", request -> {
            NewKey newKey = KeyRequests.newKey(request);
            String accountId = request.pathParameter("accountId");
            KeyWithSecret created = creation.create(accountId, newKey, request.caller(), request.header(ApiRequest.IDEMPOTENCY_KEY));
            String location = request.basePath() + "/accounts/" + accountId + "/keys/" + created.key().id();
            return Responses.created(location, KeyJson.withSecret(created, clock.instant()));
        });
    }
}
