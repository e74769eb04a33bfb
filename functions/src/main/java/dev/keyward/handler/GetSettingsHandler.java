package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.runtime.Keyward;
import dev.keyward.core.AccountSettingsService;
import dev.keyward.core.KeyPorts;
import dev.keyward.http.Api;
import dev.keyward.http.Responses;
import dev.keyward.http.SettingsJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** {@code GET /accounts/{accountId}/settings}: the account's settings, defaults included. */
public final class GetSettingsHandler implements RequestStreamHandler {
    private final AccountSettingsService settings;

    /** The function Lambda builds. */
    public GetSettingsHandler() {
        this(Keyward.start(Functions.GET_SETTINGS).ports());
    }

    public GetSettingsHandler(KeyPorts ports) {
        this.settings = new AccountSettingsService(ports);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "GET", request -> Responses.json(200,
                SettingsJson.of(settings.settings(request.pathParameter("accountId")))));
    }
}
