package dev.keyward.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.RequestIdentity;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the REST API (v1) Lambda proxy event that API Gateway would send for a request: both
 * single- and multi-value maps (the single-value one holding the last value, as API Gateway
 * does), null maps when there is nothing to put in them, the body as text unless its media
 * type is listed as binary, and a request context for a stage mapped at the root of the host.
 */
final class ProxyEvents {
    static final String ACCOUNT_ID = "123456789012";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final String stage;
    private final String callerArn;
    private final List<String> binaryMediaTypes;

    /**
     * @param stage     the stage name the event reports
     * @param callerArn the IAM principal the event reports as having signed the request (AWS_IAM
     *                  auth is not checked locally), or null for none
     */
    ProxyEvents(String stage, String callerArn, List<String> binaryMediaTypes) {
        this.stage = stage;
        this.callerArn = callerArn;
        this.binaryMediaTypes = binaryMediaTypes;
    }

    APIGatewayProxyRequestEvent build(IncomingRequest request, RouteTable.Found found, String requestId,
                                      Instant receivedAt) {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
        event.setHttpMethod(request.method());
        event.setResource(found.route().resource());
        event.setPath(request.rawPath());
        event.setPathParameters(found.pathParameters().isEmpty() ? null : new LinkedHashMap<>(found.pathParameters()));

        Map<String, List<String>> query = parseQuery(request.rawQuery());
        event.setMultiValueQueryStringParameters(query.isEmpty() ? null : query);
        event.setQueryStringParameters(query.isEmpty() ? null : lastValues(query));

        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        event.setMultiValueHeaders(headers.isEmpty() ? null : headers);
        event.setHeaders(headers.isEmpty() ? null : lastValues(headers));

        if (request.body() == null || request.body().length == 0) {
            event.setBody(null);
            event.setIsBase64Encoded(false);
        } else if (isBinary(header(headers, "Content-Type"))) {
            event.setBody(Base64.getEncoder().encodeToString(request.body()));
            event.setIsBase64Encoded(true);
        } else {
            event.setBody(new String(request.body(), StandardCharsets.UTF_8));
            event.setIsBase64Encoded(false);
        }
        event.setStageVariables(null);
        event.setRequestContext(context(request, found, requestId, receivedAt, header(headers, "User-Agent")));
        return event;
    }

    /**
     * The event API Gateway sends a REQUEST authorizer for this request: type REQUEST, the
     * method ARN the policy must cover, the request's headers, path and query, and in
     * {@code requestContext.identity.sourceIp} the address the connection came from (the
     * socket's peer, as API Gateway reports the address it saw; never a header).
     */
    APIGatewayCustomAuthorizerEvent authorizerEvent(IncomingRequest request, RouteTable.Found found, String requestId) {
        APIGatewayProxyRequestEvent proxy = build(request, found, requestId, Instant.now());
        APIGatewayCustomAuthorizerEvent.RequestContext context = new APIGatewayCustomAuthorizerEvent.RequestContext();
        context.setAccountId(ACCOUNT_ID);
        context.setApiId("local");
        context.setStage(stage);
        context.setRequestId(requestId);
        context.setResourcePath(found.route().resource());
        context.setHttpMethod(request.method());
        context.setPath(request.rawPath());
        APIGatewayCustomAuthorizerEvent.Identity identity = new APIGatewayCustomAuthorizerEvent.Identity();
        identity.setSourceIp(sourceIp(request));
        context.setIdentity(identity);
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        event.setType("REQUEST");
        event.setMethodArn(methodArn(request.method(), request.rawPath()));
        event.setResource(found.route().resource());
        event.setPath(request.rawPath());
        event.setHttpMethod(request.method());
        event.setHeaders(proxy.getHeaders());
        event.setQueryStringParameters(proxy.getQueryStringParameters());
        event.setPathParameters(proxy.getPathParameters());
        event.setRequestContext(context);
        return event;
    }

    /**
     * The peer's address as API Gateway writes one: without the zone Java adds to a link-local
     * IPv6 address ({@code fe80::1%eth0}), which API Gateway, on the internet, never sees.
     */
    static String sourceIp(IncomingRequest request) {
        String address = request.sourceIp();
        int zone = address == null ? -1 : address.indexOf('%');
        return zone < 0 ? address : address.substring(0, zone);
    }

    /** {@code arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}}, as API Gateway names a request. */
    String methodArn(String method, String rawPath) {
        return "arn:aws:execute-api:us-east-1:" + ACCOUNT_ID + ":local/" + stage + "/" + method
                + (rawPath.startsWith("/") ? rawPath : "/" + rawPath);
    }

    private ProxyRequestContext context(IncomingRequest request, RouteTable.Found found, String requestId,
                                        Instant receivedAt, String userAgent) {
        RequestIdentity identity = new RequestIdentity();
        identity.setSourceIp(sourceIp(request));
        identity.setUserAgent(userAgent);
        if (callerArn != null) {
            identity.setAccountId(ACCOUNT_ID);
            identity.setUserArn(callerArn);
            identity.setCaller(callerArn.substring(callerArn.lastIndexOf('/') + 1));
            identity.setUser(identity.getCaller());
        }

        ProxyRequestContext context = new ProxyRequestContext();
        context.setAccountId(ACCOUNT_ID);
        context.setApiId("local");
        context.setResourceId(Integer.toHexString(found.route().resource().hashCode()));
        context.setResourcePath(found.route().resource());
        context.setHttpMethod(request.method());
        context.setStage(stage);
        // the stage is served at the root of the host, as behind a custom domain: no "/{stage}" prefix
        context.setPath(request.rawPath());
        context.setRequestId(requestId);
        context.setExtendedRequestId(requestId);
        context.setProtocol("HTTP/1.1");
        context.setRequestTimeEpoch(receivedAt.toEpochMilli());
        context.setRequestTime(REQUEST_TIME.format(receivedAt));
        context.setDomainName(request.host());
        context.setIdentity(identity);
        return context;
    }

    private boolean isBinary(String contentType) {
        if (contentType == null || binaryMediaTypes.isEmpty()) {
            return false;
        }
        String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        for (String type : binaryMediaTypes) {
            if (type.equals("*/*") || type.equals(media)
                    || (type.endsWith("/*") && media.startsWith(type.substring(0, type.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    /** Query parameters decoded, every value in order; a name without '=' has the value "". */
    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }

    private static Map<String, String> lastValues(Map<String, List<String>> multi) {
        Map<String, String> single = new LinkedHashMap<>();
        multi.forEach((name, values) -> {
            if (!values.isEmpty()) {
                single.put(name, values.get(values.size() - 1));
            }
        });
        return single;
    }

    /** The header's last value, as API Gateway's single-value headers hold it. */
    private static String header(Map<String, List<String>> headers, String name) {
        List<String> values = Headers.get(headers, name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }
}
