package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.aws.Keyward;
import dev.keyward.core.KeyService;
import dev.keyward.http.Api;
import dev.keyward.http.KeyJson;
import dev.keyward.http.Responses;

/** {@code GET /accounts/{accountId}/keys/{keyId}}: the "Edit" view, Client ID and Client Secret. */
public final class GetKeyHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final KeyService keys;

    public GetKeyHandler() {
        this(Keyward.service());
    }

    public GetKeyHandler(KeyService keys) {
        this.keys = keys;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return Api.serve(event, context, "GET", request -> Responses.json(200, KeyJson.withSecret(
                keys.get(request.pathParameter("accountId"), request.pathParameter("keyId"), request.caller()), keys.now())));
    }
}
