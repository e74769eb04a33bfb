package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyViews;
import dev.keyward.http.Api;
import dev.keyward.http.AuditJson;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** {@code GET /accounts/{accountId}/audit?limit=&cursor=}: who did what to which key, newest first. */
public final class ListAuditHandler implements RequestStreamHandler {
    private final KeyViews views;

    /** The function Lambda builds. */
    public ListAuditHandler() {
        this(Keyward.start(Functions.LIST_AUDIT).ports());
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
