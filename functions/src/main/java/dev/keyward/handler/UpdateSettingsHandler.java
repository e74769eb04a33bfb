package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.aws.Keyward;
import dev.keyward.core.KeyService;
import dev.keyward.http.Api;
import dev.keyward.http.Responses;
import dev.keyward.http.SettingsJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;

/**
 * {@code PATCH /accounts/{accountId}/settings {"expiredKeyRetentionDays": 1..3650 | null}}: 200
 * with the account's settings as changed.
 */
public final class UpdateSettingsHandler implements RequestStreamHandler {
    private final KeyService keys;

    public UpdateSettingsHandler() {
        this(Keyward.service());
    }

    public UpdateSettingsHandler(KeyService keys) {
        this.keys = keys;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "PATCH", request -> Responses.json(200, SettingsJson.of(keys.updateSettings(
                request.pathParameter("accountId"), request.jsonObject(Set.of("expiredKeyRetentionDays")), request.caller()))));
    }
}
