package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.aws.Keyward;
import dev.keyward.aws.Priming;
import dev.keyward.aws.PrimingPorts;
import dev.keyward.core.KeyService;
import dev.keyward.http.Api;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** {@code DELETE /accounts/{accountId}/keys/{keyId}}: 204; the key and its secret are gone for good. */
public final class DeleteKeyHandler implements RequestStreamHandler {
    private final KeyService keys;

    /** The function Lambda builds: over this sandbox's service, primed before a SnapStart snapshot. */
    public DeleteKeyHandler() {
        this(Keyward.service());
        Priming.register("delete", this,
                Priming.proxyEvent("DELETE", "/accounts/{accountId}/keys/{keyId}", Map.of("accountId", "{accountId}", "keyId", "{keyId}"), null),
                keys::primeVault,
                Keyward.serviceWritesRefused(),
                Priming.offline(new DeleteKeyHandler(PrimingPorts.service()), Priming.proxyEvent("DELETE", "/accounts/{accountId}/keys/{keyId}", Map.of("accountId", "{accountId}", "keyId", "{keyId}"), null)));
    }

    public DeleteKeyHandler(KeyService keys) {
        this.keys = keys;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "DELETE", request -> {
            keys.delete(request.pathParameter("accountId"), request.pathParameter("keyId"), request.caller());
            return Responses.noContent();
        });
    }
}
