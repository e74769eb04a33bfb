package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.aws.Keyward;
import dev.keyward.aws.Priming;
import dev.keyward.aws.PrimingPorts;
import dev.keyward.core.KeyVerifier;
import dev.keyward.http.Authorizers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * API Gateway REQUEST authorizer: {@code Authorization: Basic base64(clientId:clientSecret)} in,
 * Allow with context {accountId, keyId} or Deny out. One DynamoDB read per request, no Secrets Manager.
 */
public final class AuthorizerHandler implements RequestStreamHandler {
    private final KeyVerifier verifier;

    /** The function Lambda builds: over this sandbox's verifier, primed before a SnapStart snapshot. */
    public AuthorizerHandler() {
        this(Keyward.verifier());
        PrimingPorts allowing = PrimingPorts.ports();
        Priming.register("authorizer", this,
                Priming.authorizerEvent(),
                Keyward.verifierWritesRefused(),
                Priming.offline(new AuthorizerHandler(PrimingPorts.verifier(allowing)), Priming.authorizerEvent(allowing.allowedAuthorization())));
    }

    public AuthorizerHandler(KeyVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Authorizers.authorize(input, output, verifier::verify);
    }
}
