package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.aws.Keyward;
import dev.keyward.aws.Priming;
import dev.keyward.aws.PrimingPorts;
import dev.keyward.core.KeyService;
import dev.keyward.http.Api;
import dev.keyward.http.KeyJson;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** {@code GET /accounts/{accountId}/keys/{keyId}}: the "Edit" view, Client ID and Client Secret. */
public final class GetKeyHandler implements RequestStreamHandler {
    private final KeyService keys;

    /** The function Lambda builds: over this sandbox's service, primed before a SnapStart snapshot. */
    public GetKeyHandler() {
        this(Keyward.service());
        Priming.register("get", this,
                Priming.proxyEvent("GET", "/accounts/{accountId}/keys/{keyId}", Map.of("accountId", "{accountId}", "keyId", "{keyId}"), null),
                keys::primeVault,
                Keyward.serviceWritesRefused(),
                Priming.offline(new GetKeyHandler(PrimingPorts.service()), Priming.proxyEvent("GET", "/accounts/{accountId}/keys/{keyId}", Map.of("accountId", "{accountId}", "keyId", "{keyId}"), null)));
    }

    public GetKeyHandler(KeyService keys) {
        this.keys = keys;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "GET", request -> Responses.json(200, KeyJson.withSecret(
                keys.get(request.pathParameter("accountId"), request.pathParameter("keyId"), request.caller()))));
    }
}
