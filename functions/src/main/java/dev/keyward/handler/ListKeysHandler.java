package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.aws.Keyward;
import dev.keyward.aws.Priming;
import dev.keyward.aws.PrimingPorts;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyViews;
import dev.keyward.http.Api;
import dev.keyward.http.KeyJson;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;

/** {@code GET /accounts/{accountId}/keys?limit=&cursor=}: newest first, never a secret. */
public final class ListKeysHandler implements RequestStreamHandler {
    private final KeyViews views;
    private final Clock clock;

    /** The function Lambda builds: over this sandbox's service, primed before a SnapStart snapshot. */
    public ListKeysHandler() {
        this(Keyward.ports());
        Priming.register("list", this,
                Priming.proxyEvent("GET", "/accounts/{accountId}/keys", Map.of("accountId", "{accountId}"), null),
                Priming.offline(new ListKeysHandler(PrimingPorts.keyPorts()), Priming.proxyEvent("GET", "/accounts/{accountId}/keys", Map.of("accountId", "{accountId}"), null)));
    }

    public ListKeysHandler(KeyPorts ports) {
        this.views = new KeyViews(ports);
        this.clock = ports.clock();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "GET", request -> Responses.json(200, KeyJson.page(views.list(
                request.pathParameter("accountId"), request.pageLimit(), request.queryParameter("cursor")), clock.instant())));
    }
}
