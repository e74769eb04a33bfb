package dev.keyward.invoke;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lambda's part between API Gateway and a stream handler, for the local API and the tests: the
 * event object written as the JSON
 * Lambda delivers (by the runtime's own serializer), the JSON the handler writes read back into
 * the event library's response type. A handler that answers something other than a JSON object
 * fails the invocation, as on Lambda.
 */
public final class StreamHandlers {
    private StreamHandlers() {
    }

    /** A Lambda proxy integration's function. */
    public static RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> proxy(
            RequestStreamHandler handler) {
        return (event, context) -> proxyResponse(call(handler, json(event, APIGatewayProxyRequestEvent.class), context));
    }

    /** A REQUEST authorizer's function. */
    public static RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer(
            RequestStreamHandler handler) {
        return (event, context) -> policy(call(handler, json(event, APIGatewayCustomAuthorizerEvent.class), context));
    }

    static <T> byte[] json(T event, Class<T> type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor(type, StreamHandlers.class.getClassLoader()).toJson(event, out);
        return out.toByteArray();
    }

    private static Map<String, Object> call(RequestStreamHandler handler, byte[] event,
                                            com.amazonaws.services.lambda.runtime.Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, context);
            return JSON.std.mapFrom(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static APIGatewayProxyResponseEvent proxyResponse(Map<String, Object> json) {
        APIGatewayProxyResponseEvent response = new APIGatewayProxyResponseEvent();
        if (json.get("statusCode") instanceof Number status) {
            response.setStatusCode(status.intValue());
        }
        if (json.get("headers") instanceof Map<?, ?> headers) {
            response.setHeaders(new LinkedHashMap<>((Map<String, String>) headers));
        }
        if (json.get("multiValueHeaders") instanceof Map<?, ?> headers) {
            response.setMultiValueHeaders(new LinkedHashMap<>((Map<String, List<String>>) headers));
        }
        response.setBody((String) json.get("body"));
        response.setIsBase64Encoded((Boolean) json.get("isBase64Encoded"));
        return response;
    }

    @SuppressWarnings("unchecked")
    static IamPolicyResponseV1 policy(Map<String, Object> json) {
        Map<String, Object> document = (Map<String, Object>) json.get("policyDocument");
        List<IamPolicyResponseV1.Statement> statements = ((List<Map<String, Object>>) document.get("Statement"))
                .stream().map(s -> IamPolicyResponseV1.Statement.builder()
                        .withEffect((String) s.get("Effect"))
                        .withAction((String) s.get("Action"))
                        .withResource((List<String>) s.get("Resource"))
                        .build())
                .toList();
        return IamPolicyResponseV1.builder()
                .withPrincipalId((String) json.get("principalId"))
                .withPolicyDocument(IamPolicyResponseV1.PolicyDocument.builder()
                        .withVersion((String) document.get("Version"))
                        .withStatement(statements)
                        .build())
                .withContext((Map<String, Object>) json.get("context"))
                .build();
    }
}
