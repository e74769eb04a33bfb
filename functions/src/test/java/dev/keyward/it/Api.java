package dev.keyward.it;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.core.KeyService;
import dev.keyward.handler.CreateKeyHandler;
import dev.keyward.handler.DeleteKeyHandler;
import dev.keyward.handler.GetKeyHandler;
import dev.keyward.handler.ListKeysHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The four handlers over one service, called the way API Gateway calls them. */
final class Api {
    final CreateKeyHandler create;
    final GetKeyHandler get;
    final ListKeysHandler list;
    final DeleteKeyHandler delete;

    Api(KeyService service) {
        create = new CreateKeyHandler(service);
        get = new GetKeyHandler(service);
        list = new ListKeysHandler(service);
        delete = new DeleteKeyHandler(service);
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
