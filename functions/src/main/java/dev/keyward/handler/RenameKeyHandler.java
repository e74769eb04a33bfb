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
import java.util.Set;

/**
 * {@code PATCH /accounts/{accountId}/keys/{keyId} {"name"?, "expiresAt"?, "scopes"?}}: the Edit
 * screen's changes (a member left out stays as it is); 200 with the key, no secret.
 */
public final class RenameKeyHandler implements RequestStreamHandler {
    private final KeyService keys;

    /** The function Lambda builds: over this sandbox's service, primed before a SnapStart snapshot. */
    public RenameKeyHandler() {
        this(Keyward.service());
        Priming.register("rename", this,
                Priming.proxyEvent("PATCH", "/accounts/{accountId}/keys/{keyId}", Map.of("accountId", "{accountId}", "keyId", "{keyId}"), "{\"name\":\"Priming\"}"),
                Keyward.serviceWritesRefused(),
                Priming.offline(new RenameKeyHandler(PrimingPorts.service()), Priming.proxyEvent("PATCH", "/accounts/{accountId}/keys/{keyId}", Map.of("accountId", "{accountId}", "keyId", "{keyId}"), "{\"name\":\"Priming\"}")));
    }

    public RenameKeyHandler(KeyService keys) {
        this.keys = keys;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "PATCH", request -> {
            Map<String, Object> body = request.jsonObject(Set.of("name", "expiresAt", "scopes"));
            return Responses.json(200, KeyJson.withoutSecret(keys.update(request.pathParameter("accountId"),
                    request.pathParameter("keyId"), body, request.caller()), keys.now()));
        });
    }
}
