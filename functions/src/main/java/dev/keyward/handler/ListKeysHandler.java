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

/** {@code GET /accounts/{accountId}/keys?limit=&cursor=}: newest first, never a secret. */
public final class ListKeysHandler implements RequestStreamHandler {
    private final KeyService keys;

    /** The function Lambda builds: over this sandbox's service, primed before a SnapStart snapshot. */
    public ListKeysHandler() {
        this(Keyward.service());
        Priming.register("list", this,
                Priming.proxyEvent("GET", "/accounts/{accountId}/keys", Map.of("accountId", "{accountId}"), null),
                Priming.offline(new ListKeysHandler(PrimingPorts.service()), Priming.proxyEvent("GET", "/accounts/{accountId}/keys", Map.of("accountId", "{accountId}"), null)));
    }

    public ListKeysHandler(KeyService keys) {
        this.keys = keys;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "GET", request -> Responses.json(200, KeyJson.page(keys.list(
                request.pathParameter("accountId"), request.pageLimit(), request.queryParameter("cursor")))));
    }
}
