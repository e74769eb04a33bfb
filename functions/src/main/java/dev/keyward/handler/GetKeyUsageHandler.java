package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.KeyUsage;
import dev.keyward.http.Api;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import dev.keyward.http.UsageJson;

/**
 * {@code GET /accounts/{accountId}/keys/{keyId}/usage?days=1..90}: 200 with the key's allowed and
 * denied checks per UTC day, oldest first, the denied ones per reason, and its latest denials.
 */
public final class GetKeyUsageHandler implements RequestStreamHandler {
    private final KeyUsage usage;

    /** The function Lambda builds. */
    public GetKeyUsageHandler() {
        this(Keyward.start(Functions.GET_KEY_USAGE).keyUsage());
    }

    public GetKeyUsageHandler(KeyUsage usage) {
        this.usage = usage;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "GET", request -> {
            String keyId = request.pathParameter("keyId");
            return Responses.json(200, UsageJson.series(keyId, usage.report(request.pathParameter("accountId"), keyId,
                    UsageJson.days(request.queryParameter("days")))));
        });
    }
}
