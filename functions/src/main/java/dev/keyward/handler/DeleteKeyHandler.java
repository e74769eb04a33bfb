package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.aws.Keyward;
import dev.keyward.aws.Priming;
import dev.keyward.aws.PrimingPorts;
import dev.keyward.core.KeyDeletion;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyPriming;
import dev.keyward.http.Api;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** {@code DELETE /accounts/{accountId}/keys/{keyId}}: 204; the key and its secret are gone for good. */
public final class DeleteKeyHandler implements RequestStreamHandler {
    private final KeyDeletion deletion;

    /** The function Lambda builds: over this sandbox's service, primed before a SnapStart snapshot. */
    public DeleteKeyHandler() {
        this(Keyward.ports());
        Priming.register("delete", this,
                Priming.proxyEvent("DELETE", "/accounts/{accountId}/keys/{keyId}", Map.of("accountId", "{accountId}", "keyId", "{keyId}"), null),
                new KeyPriming(Keyward.ports())::primeVault,
                Keyward.serviceWritesRefused(),
                Priming.offline(new DeleteKeyHandler(PrimingPorts.keyPorts()), Priming.proxyEvent("DELETE", "/accounts/{accountId}/keys/{keyId}", Map.of("accountId", "{accountId}", "keyId", "{keyId}"), null)));
    }

    public DeleteKeyHandler(KeyPorts ports) {
        this.deletion = new KeyDeletion(ports);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "DELETE", request -> {
            deletion.delete(request.pathParameter("accountId"), request.pathParameter("keyId"), request.caller());
            return Responses.noContent();
        });
    }
}
