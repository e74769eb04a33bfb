package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.KeyDeletion;
import dev.keyward.core.KeyPorts;
import dev.keyward.http.Api;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** {@code DELETE /accounts/{accountId}/keys/{keyId}}: 204; the key and its secret are gone for good. */
public final class DeleteKeyHandler implements RequestStreamHandler {
    private final KeyDeletion deletion;

    /** The function Lambda builds. */
    public DeleteKeyHandler() {
        this(Keyward.start(Functions.DELETE_KEY).ports());
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
