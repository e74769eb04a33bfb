package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.aws.Keyward;
import dev.keyward.core.KeyUsage;
import dev.keyward.http.Api;
import dev.keyward.http.Responses;
import dev.keyward.http.UsageJson;

/**
 * {@code GET /accounts/{accountId}/keys/{keyId}/usage?days=1..90}: 200 with the key's allowed and
 * denied checks per UTC day, oldest first.
 */
public final class GetKeyUsageHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final KeyUsage usage;

    public GetKeyUsageHandler() {
        this(Keyward.keyUsage());
    }

    public GetKeyUsageHandler(KeyUsage usage) {
        this.usage = usage;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return Api.serve(event, context, "GET", request -> {
            String keyId = request.pathParameter("keyId");
            return Responses.json(200, UsageJson.series(keyId, usage.days(request.pathParameter("accountId"), keyId,
                    UsageJson.days(request.queryParameter("days")))));
        });
    }
}
