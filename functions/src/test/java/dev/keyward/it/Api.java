package dev.keyward.it;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.KeyService;
import dev.keyward.handler.CreateKeyHandler;
import dev.keyward.handler.DeleteKeyHandler;
import dev.keyward.handler.GetKeyHandler;
import dev.keyward.handler.ListAuditHandler;
import dev.keyward.handler.ListKeysHandler;
import dev.keyward.handler.RenameKeyHandler;
import dev.keyward.handler.RotateKeyHandler;
import dev.keyward.handler.WhoAmIHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The admin handlers over one service, and the protected sample route, called the way API Gateway calls them. */
final class Api {
    final CreateKeyHandler create;
    final GetKeyHandler get;
    final ListKeysHandler list;
    final DeleteKeyHandler delete;
    final RenameKeyHandler rename;
    final RotateKeyHandler rotate;
    final ListAuditHandler audit;
    final WhoAmIHandler whoami = new WhoAmIHandler();

    Api(KeyService service) {
        create = new CreateKeyHandler(service);
        get = new GetKeyHandler(service);
        list = new ListKeysHandler(service);
        delete = new DeleteKeyHandler(service);
        rename = new RenameKeyHandler(service);
        rotate = new RotateKeyHandler(service);
        audit = new ListAuditHandler(service);
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
