package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.runtime.Keyward;
import dev.keyward.runtime.Services;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.RouteScopes;
import dev.keyward.http.Authorizers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * API Gateway REQUEST authorizer: {@code Authorization: Basic base64(clientId:clientSecret)} and the
 * source address API Gateway saw in; out an Allow for exactly the routes the key's scopes open in
 * its own account (context {accountId, keyId, scopes}), a Deny for a key that may call nothing or
 * not from this address, or for credentials that are missing or refused (a wrong secret, an
 * expired, suspended or deleted key) the failure Unauthorized (API Gateway's 401). One DynamoDB read per
 * request, no Secrets Manager. The
 * routes each scope opens come from {@code ROUTE_SCOPES}, read once per sandbox.
 */
public final class AuthorizerHandler implements RequestStreamHandler {
    /** The sample API's routes: {@code GET /whoami} for every key, its account-scoped twin for whoami:read. */
    public static final RouteScopes SAMPLE_ROUTES = RouteScopes.of(Map.of(
            RouteScopes.EVERY_KEY, List.of("GET /whoami"),
            "whoami:read", List.of("GET /accounts/{accountId}/whoami")));

    private final KeyVerifier verifier;
    private final RouteScopes routes;

    /** The function Lambda builds: over this sandbox's verifier, primed before a SnapStart snapshot. */
    public AuthorizerHandler() {
        this(Keyward.start(Functions.AUTHORIZER));
    }

    private AuthorizerHandler(Services services) {
        this(services.verifier(), services.routeScopes());
    }

    /** An authorizer for the sample API's routes. */
    public AuthorizerHandler(KeyVerifier verifier) {
        this(verifier, SAMPLE_ROUTES);
    }

    public AuthorizerHandler(KeyVerifier verifier, RouteScopes routes) {
        this.verifier = verifier;
        this.routes = routes;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Authorizers.authorize(input, output, context, request -> verifier.verify(request, routes));
    }
}
