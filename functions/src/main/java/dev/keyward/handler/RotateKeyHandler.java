package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.aws.Keyward;
import dev.keyward.core.KeyService;
import dev.keyward.http.Api;
import dev.keyward.http.ApiRequest;
import dev.keyward.http.KeyJson;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;

/**
 * {@code POST /accounts/{accountId}/keys/{keyId}/rotate {"graceSeconds": 0..86400}}: 200 with the
 * key and its new Client Secret; the previous one works until {@code previousSecretValidUntil}.
 */
public final class RotateKeyHandler implements RequestStreamHandler {
    private final KeyService keys;

    public RotateKeyHandler() {
        this(Keyward.service());
    }

    public RotateKeyHandler(KeyService keys) {
        this.keys = keys;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "POST", request -> {
            Long grace = ApiRequest.wholeNumber(request.jsonObject(Set.of("graceSeconds")).get("graceSeconds"));
            return Responses.json(200, KeyJson.rotated(keys.rotate(request.pathParameter("accountId"),
                    request.pathParameter("keyId"), grace, request.caller())));
        });
    }
}
