package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.aws.Keyward;
import dev.keyward.aws.Priming;
import dev.keyward.aws.PrimingPorts;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyViews;
import dev.keyward.http.Api;
import dev.keyward.http.AuditJson;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** {@code GET /accounts/{accountId}/audit?limit=&cursor=}: who did what to which key, newest first. */
public final class ListAuditHandler implements RequestStreamHandler {
    private final KeyViews views;

    /** The function Lambda builds: over this sandbox's service, primed before a SnapStart snapshot. */
    public ListAuditHandler() {
        this(Keyward.ports());
        Priming.register("audit", this,
                Priming.proxyEvent("GET", "/accounts/{accountId}/audit", Map.of("accountId", "{accountId}"), null),
                Priming.offline(new ListAuditHandler(PrimingPorts.keyPorts()), Priming.proxyEvent("GET", "/accounts/{accountId}/audit", Map.of("accountId", "{accountId}"), null)));
    }

    public ListAuditHandler(KeyPorts ports) {
        this.views = new KeyViews(ports);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "GET", request -> Responses.json(200, AuditJson.page(views.audit(
                request.pathParameter("accountId"), request.pageLimit(), request.queryParameter("cursor")))));
    }
}
