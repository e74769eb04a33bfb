package dev.keyward.local;

/**
 * One operation of the API as deployed: API Gateway sends {@code method resource} to the Lambda
 * function {@code function}, whose handler is {@code handlerClass}, after the Lambda authorizer
 * {@code authorizer} allowed it, when the operation has one.
 *
 * @param method       an HTTP method in upper case, or {@code ANY}
 * @param resource     the resource path with its parameters, e.g. {@code /accounts/{accountId}/keys}
 * @param function     the function's logical id in template.yaml
 * @param handlerClass the fully qualified class named by the function's {@code Handler}
 * @param authorizer   the operation's Lambda REQUEST authorizer, or null (AWS_IAM, not checked locally)
 */
record Route(String method, String resource, String function, String handlerClass, Authorizer authorizer) {

    Route(String method, String resource, String function, String handlerClass) {
        this(method, resource, function, handlerClass, null);
    }

    /**
     * A Lambda REQUEST authorizer as openapi.yaml declares it ({@code x-amazon-apigateway-authorizer}).
     *
     * @param identityHeader the header named by {@code identitySource}: without it API Gateway
     *                       answers 401 and does not call the authorizer
     */
    record Authorizer(String function, String handlerClass, String identityHeader) {
    }
}
