package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.aws.Keyward;
import dev.keyward.aws.Priming;
import dev.keyward.aws.PrimingPorts;
import dev.keyward.core.ErrorCode;
import dev.keyward.core.KeyService;
import dev.keyward.core.KeyWithSecret;
import dev.keyward.http.Api;
import dev.keyward.http.ApiRequest;
import dev.keyward.http.JsonBodies;
import dev.keyward.http.KeyJson;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;

/** {@code POST /accounts/{accountId}/keys {"name": "..."}}: 201 with the new key and its secret. */
public final class CreateKeyHandler implements RequestStreamHandler {
    private final KeyService keys;

    /** The function Lambda builds: over this sandbox's service, primed before a SnapStart snapshot. */
    public CreateKeyHandler() {
        this(Keyward.service());
        // an empty name is refused before anything is written; create's AWS calls are primed as reads and
        // refused writes, and the whole create path over ports that answer from memory
        Priming.register("create", this,
                Priming.proxyEvent("POST", "/accounts/{accountId}/keys", Map.of("accountId", "{accountId}"), "{\"name\":\"\"}"),
                keys::primeCreate,
                Keyward.serviceWritesRefused(),
                Priming.offline(new CreateKeyHandler(PrimingPorts.service()), Priming.proxyEvent("POST", "/accounts/{accountId}/keys", Map.of("accountId", "{accountId}"), "{\"name\":\"Priming\"}")));
    }

    public CreateKeyHandler(KeyService keys) {
        this.keys = keys;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "POST", request -> {
            String name = JsonBodies.optionalString(request.jsonObject(Set.of("name")), "name", ErrorCode.INVALID_NAME);
            String accountId = request.pathParameter("accountId");
            KeyWithSecret created = keys.create(accountId, name, request.caller(), request.header(ApiRequest.IDEMPOTENCY_KEY));
            String location = request.basePath() + "/accounts/" + accountId + "/keys/" + created.key().id();
            return Responses.created(location, KeyJson.withSecret(created));
        });
    }
}
