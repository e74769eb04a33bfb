package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.aws.Keyward;
import dev.keyward.core.KeyService;
import dev.keyward.http.Api;
import dev.keyward.http.AuditJson;
import dev.keyward.http.Responses;

/** {@code GET /accounts/{accountId}/audit?limit=&cursor=}: who did what to which key, newest first. */
public final class ListAuditHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final KeyService keys;

    public ListAuditHandler() {
        this(Keyward.service());
    }

    public ListAuditHandler(KeyService keys) {
        this.keys = keys;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return Api.serve(event, context, "GET", request -> Responses.json(200, AuditJson.page(keys.audit(
                request.pathParameter("accountId"), request.pageLimit(), request.queryParameter("cursor")))));
    }
}
