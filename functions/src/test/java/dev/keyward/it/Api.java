package dev.keyward.it;

import dev.keyward.invoke.StreamHandlers;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.UseCases;
import dev.keyward.handler.CreateKeyHandler;
import dev.keyward.handler.DeleteKeyHandler;
import dev.keyward.handler.GetKeyHandler;
import dev.keyward.handler.GetSettingsHandler;
import dev.keyward.handler.UpdateSettingsHandler;
import dev.keyward.handler.ListAuditHandler;
import dev.keyward.handler.ListKeysHandler;
import dev.keyward.handler.UpdateKeyHandler;
import dev.keyward.handler.RotateKeyHandler;
import dev.keyward.handler.WhoAmIHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The admin handlers over one service, and the protected sample route, called the way API Gateway calls them. */
final class Api {
    final Handler create;
    final Handler get;
    final Handler list;
    final Handler delete;
    final Handler rename;
    final Handler rotate;
    final Handler audit;
    final Handler getSettings;
    final Handler updateSettings;
    final Handler whoami = StreamHandlers.proxy(new WhoAmIHandler())::handleRequest;

    Api(UseCases keys) {
        this(keys.ports());
    }

    Api(KeyPorts service) {
        create = StreamHandlers.proxy(new CreateKeyHandler(service))::handleRequest;
        get = StreamHandlers.proxy(new GetKeyHandler(service))::handleRequest;
        list = StreamHandlers.proxy(new ListKeysHandler(service))::handleRequest;
        delete = StreamHandlers.proxy(new DeleteKeyHandler(service))::handleRequest;
        rename = StreamHandlers.proxy(new UpdateKeyHandler(service))::handleRequest;
        rotate = StreamHandlers.proxy(new RotateKeyHandler(service))::handleRequest;
        audit = StreamHandlers.proxy(new ListAuditHandler(service))::handleRequest;
        getSettings = StreamHandlers.proxy(new GetSettingsHandler(service))::handleRequest;
        updateSettings = StreamHandlers.proxy(new UpdateSettingsHandler(service))::handleRequest;
    }

    /** A function as API Gateway invokes it: the proxy event in, the proxy response out. */
    interface Handler extends RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    }

    /** Rotates a key and answers its JSON, failing the test unless the answer is 200. */
    Map<String, Object> rotateKey(String accountId, String keyId, long graceSeconds) {
        APIGatewayProxyResponseEvent response = rotate.handleRequest(Events.rotate(accountId, keyId,
                "{\"graceSeconds\":" + graceSeconds + "}"), null);
        if (response.getStatusCode() != 200) {
            throw new AssertionError("rotate answered " + response.getStatusCode() + ": " + response.getBody());
        }
        return json(response);
    }

    APIGatewayProxyResponseEvent create(APIGatewayProxyRequestEvent event) {
        return create.handleRequest(event, null);
    }

    /** Creates a key and answers its JSON, failing the test unless the answer is 201. */
    Map<String, Object> createKey(String accountId, String name) {
        APIGatewayProxyResponseEvent response = create(Events.createNamed(accountId, name));
        if (response.getStatusCode() != 201) {
            throw new AssertionError("create answered " + response.getStatusCode() + ": " + response.getBody());
        }
        return json(response);
    }

    static Map<String, Object> json(APIGatewayProxyResponseEvent response) {
        try {
            return JSON.std.mapFrom(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
