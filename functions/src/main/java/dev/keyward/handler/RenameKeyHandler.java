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

/** {@code PATCH /accounts/{accountId}/keys/{keyId} {"name": "..."}}: the Edit screen's rename; 200 with the key, no secret. */
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
            Object name = request.jsonObject(Set.of("name")).get("name");
            return Responses.json(200, KeyJson.withoutSecret(keys.rename(request.pathParameter("accountId"),
                    request.pathParameter("keyId"), name instanceof String s ? s : null, request.caller())));
        });
    }
}
