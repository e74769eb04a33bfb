package dev.keyward.local;

/**
 * One operation of the API as deployed: API Gateway sends {@code method resource} to the Lambda
 * function {@code function}, whose handler is {@code handlerClass}.
 *
 * @param method       an HTTP method in upper case, or {@code ANY}
 * @param resource     the resource path with its parameters, e.g. {@code /accounts/{accountId}/keys}
 * @param function     the function's logical id in template.yaml
 * @param handlerClass the fully qualified class named by the function's {@code Handler}
 */
record Route(String method, String resource, String function, String handlerClass) {
}
