package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.aws.Keyward;
import dev.keyward.aws.Priming;
import dev.keyward.aws.PrimingPorts;
import dev.keyward.core.KeyCreation;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyPriming;
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
import java.util.Map;

/**
 * {@code POST /accounts/{accountId}/keys {"name": "...", "expiresAt"?: "...", "scopes"?: [...]}}:
 * 201 with the new key and its secret.
 */
public final class CreateKeyHandler implements RequestStreamHandler {
    private final KeyCreation creation;
    private final Clock clock;

    /** The function Lambda builds: over this sandbox's service, primed before a SnapStart snapshot. */
    public CreateKeyHandler() {
        this(Keyward.ports());
        // an empty name is refused before anything is written; create's AWS calls are primed as reads and
        // refused writes, and the whole create path over ports that answer from memory
        Priming.register("create", this,
                Priming.proxyEvent("POST", "/accounts/{accountId}/keys", Map.of("accountId", "{accountId}"), "{\"name\":\"\"}"),
                new KeyPriming(Keyward.ports())::primeCreate,
                Keyward.serviceWritesRefused(),
                Priming.offline(new CreateKeyHandler(PrimingPorts.keyPorts()), Priming.proxyEvent("POST", "/accounts/{accountId}/keys", Map.of("accountId", "{accountId}"), "{\"name\":\"Priming\"}")));
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
