package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.AccountSettingsService;
import dev.keyward.core.KeyPorts;
import dev.keyward.http.Api;
import dev.keyward.http.Responses;
import dev.keyward.http.SettingsJson;
import dev.keyward.http.SettingsRequests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code PATCH /accounts/{accountId}/settings {"expiredKeyRetentionDays"?: 1..3650 | null,
 * "maxKeyLifetimeDays"?: 1..3650 | null, "requireScopes"?: bool}}: 200 with the account's settings
 * as changed.
 */
public final class UpdateSettingsHandler implements RequestStreamHandler {
    private final AccountSettingsService settings;

    /** The function Lambda builds. */
    public UpdateSettingsHandler() {
        this(Keyward.start(Functions.UPDATE_SETTINGS).ports());
    }

    public UpdateSettingsHandler(KeyPorts ports) {
        this.settings = new AccountSettingsService(ports);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "PATCH", request -> Responses.json(200, SettingsJson.of(
                settings.update(request.pathParameter("accountId"), SettingsRequests.settingsChange(request),
                        request.caller()))));
    }
}
