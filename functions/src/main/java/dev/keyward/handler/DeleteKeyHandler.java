package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.aws.Keyward;
import dev.keyward.core.KeyService;
import dev.keyward.http.Api;
import dev.keyward.http.Responses;

/** {@code DELETE /accounts/{accountId}/keys/{keyId}}: 204; the key and its secret are gone for good. */
public final class DeleteKeyHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final KeyService keys;

    public DeleteKeyHandler() {
        this(Keyward.service());
    }

    public DeleteKeyHandler(KeyService keys) {
        this.keys = keys;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return Api.serve(event, context, "DELETE", request -> {
            keys.delete(request.pathParameter("accountId"), request.pathParameter("keyId"), request.caller());
            return Responses.noContent();
        });
    }
}
