package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.runtime.Keyward;
import dev.keyward.runtime.Services;
import dev.keyward.core.ErrorCode;
import dev.keyward.core.KeywardException;
import dev.keyward.http.Api;
import dev.keyward.http.Authorizers;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /whoami} and {@code GET /accounts/{accountId}/whoami} behind the Client ID/Secret
 * authorizer: the account, key and scopes the presented credentials belong to. They stand for the
 * company's own API; integrations call them to check their credentials. The first is open to
 * every key, the second needs the scope whoami:read and only ever answers for the key's own
 * account (the authorizer's policy allows no other). Everything comes from the authorizer's
 * context: no AWS call.
 */
public final class WhoAmIHandler implements RequestStreamHandler {

    /** The function Lambda builds. */
    public WhoAmIHandler() {
        this(Keyward.start(Functions.WHOAMI));
    }

    /** Over {@code services}, of which it needs none. */
    WhoAmIHandler(Services services) {
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
            String pathAccount = request.pathParameter("accountId");
            if (pathAccount != null && !pathAccount.equals(accountId)) {
                // the authorizer's policy already refuses this; a second lock on the same door
                throw new KeywardException(ErrorCode.ACCESS_DENIED, "User is not authorized to access this resource");
            }
            String scopes = request.authorizerValue(Authorizers.SCOPES);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("accountId", accountId);
            body.put("keyId", keyId);
            body.put("scopes", scopes == null || scopes.isBlank() ? List.of() : List.of(scopes.split(" ")));
            return Responses.json(200, body);
        });
    }
}
