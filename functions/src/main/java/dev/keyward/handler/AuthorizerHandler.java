package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.keyward.aws.Keyward;
import dev.keyward.core.KeyVerifier;
import dev.keyward.http.Authorizers;

/**
 * API Gateway REQUEST authorizer: {@code Authorization: Basic base64(clientId:clientSecret)} in,
 * Allow with context {accountId, keyId} or Deny out. One DynamoDB read per request, no Secrets Manager.
 */
public final class AuthorizerHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> {
    private final KeyVerifier verifier;

    public AuthorizerHandler() {
        this(Keyward.verifier());
    }

    public AuthorizerHandler(KeyVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public IamPolicyResponseV1 handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        return Authorizers.authorize(event, verifier::verify);
    }
}
