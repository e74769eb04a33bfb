package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyRotation;
import dev.keyward.http.Api;
import dev.keyward.http.ApiRequest;
import dev.keyward.http.KeyJson;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Set;

/**
 * {@code POST /accounts/{accountId}/keys/{keyId}/rotate {"graceSeconds": 0..86400}}: 200 with the
 * key and its new Client Secret; the previous one works until {@code previousSecretValidUntil}.
 */
public final class RotateKeyHandler implements RequestStreamHandler {
    private final KeyRotation rotation;
    private final Clock clock;

    /** The function Lambda builds. */
    public RotateKeyHandler() {
        this(Keyward.start(Functions.ROTATE_KEY).ports());
    }

    public RotateKeyHandler(KeyPorts ports) {
        this.rotation = new KeyRotation(ports);
        this.clock = ports.clock();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "POST", request -> {
            Long grace = ApiRequest.wholeNumber(request.jsonObject(Set.of("graceSeconds")).get("graceSeconds"));
            return Responses.json(200, KeyJson.rotated(rotation.rotate(request.pathParameter("accountId"),
                    request.pathParameter("keyId"), grace, request.caller(), request.header(ApiRequest.IDEMPOTENCY_KEY)), clock.instant()));
        });
    }
}
