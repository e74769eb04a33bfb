package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.aws.Priming;
import dev.keyward.core.ErrorCode;
import dev.keyward.core.KeywardException;
import dev.keyward.http.Api;
import dev.keyward.http.Authorizers;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /whoami} behind the Client ID/Secret authorizer: the account and key the presented
 * credentials belong to. It stands for the company's own API; integrations call it to check
 * their credentials. Everything it knows comes from the authorizer's context: no AWS call.
 */
public final class WhoAmIHandler implements RequestStreamHandler {

    /** Primed before a SnapStart snapshot like every function, though it makes no AWS call. */
    public WhoAmIHandler() {
        Priming.register("whoami", this, Priming.proxyEvent("GET", "/whoami", Map.of(), null));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "GET", request -> {
            String accountId = request.authorizerValue(Authorizers.ACCOUNT_ID);
            String keyId = request.authorizerValue(Authorizers.KEY_ID);
            if (accountId == null || keyId == null) {
                // only reachable when the route is deployed without the authorizer
                throw new KeywardException(ErrorCode.INTERNAL, "This route is not behind the key authorizer.");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("accountId", accountId);
            body.put("keyId", keyId);
            return Responses.json(200, body);
        });
    }
}
