package dev.keyward.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deployed API's routes, read from the files that deploy it: each operation in
 * infra/openapi.yaml names its function in {@code x-amazon-apigateway-integration.uri}
 * ({@code ${CreateKeyFunction.Arn}}), and that function's {@code Handler} in infra/template.yaml
 * names the class. Nothing here lists a route by hand, so local and deployed routes agree.
 *
 * <p>Matching follows API Gateway: the most specific resource wins (a literal segment before a
 * {@code {param}}, a {@code {param}} before a greedy {@code {proxy+}}), then the method is looked up
 * on that resource, falling back to {@code x-amazon-apigateway-any-method}.
 */
final class RouteTable {
    static final String ANY = "ANY";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch");
    private static final String ANY_METHOD = "x-amazon-apigateway-any-method";
    private static final Pattern FUNCTION_ARN = Pattern.compile("\\$\\{([A-Za-z0-9]+)\\.Arn}");

    private final List<Resource> resources;
    private final List<String> binaryMediaTypes;

    private RouteTable(List<Resource> resources, List<String> binaryMediaTypes) {
        this.resources = resources;
        this.binaryMediaTypes = binaryMediaTypes;
    }

    static RouteTable load(Path openapi, Path template) throws IOException {
        return of(CfnYaml.read(openapi), CfnYaml.read(template));
    }

    /** Builds the table, refusing an operation whose function or handler cannot be found. */
    static RouteTable of(Map<String, Object> openapi, Map<String, Object> template) {
        Map<String, String> handlers = handlersByFunction(template);
        Map<String, Object> securitySchemes = openapi.get("components") instanceof Map<?, ?> components
                && components.get("securitySchemes") instanceof Map<?, ?> schemes ? map(schemes, "securitySchemes") : Map.of();
        Map<String, Object> paths = map(openapi.get("paths"), "openapi paths");
        List<Resource> resources = new ArrayList<>();
        for (Map.Entry<String, Object> path : paths.entrySet()) {
            Map<String, Route> byMethod = new LinkedHashMap<>();
            for (Map.Entry<String, Object> operation : map(path.getValue(), "path " + path.getKey()).entrySet()) {
                String key = operation.getKey().toLowerCase(Locale.ROOT);
                if (!METHODS.contains(key) && !key.equals(ANY_METHOD)) {
                    continue; // "parameters", "summary", other extensions
                }
                String method = key.equals(ANY_METHOD) ? ANY : key.toUpperCase(Locale.ROOT);
                String where = method + " " + path.getKey();
                Map<String, Object> spec = map(operation.getValue(), where);
                String function = functionOf(spec, where);
                String handler = handlers.get(function);
                if (handler == null) {
                    throw new IllegalArgumentException(where + " is integrated with " + function
                            + ", which template.yaml does not define as a function with a Handler");
                }
                byMethod.put(method, new Route(method, path.getKey(), function, handler,
                        authorizerOf(spec, securitySchemes, handlers, where)));
            }
            if (!byMethod.isEmpty()) {
                resources.add(new Resource(path.getKey(), byMethod));
            }
        }
        List<String> binary = new ArrayList<>();
        if (openapi.get("x-amazon-apigateway-binary-media-types") instanceof List<?> types) {
            types.forEach(type -> binary.add(String.valueOf(type).toLowerCase(Locale.ROOT)));
        }
        return new RouteTable(List.copyOf(resources), List.copyOf(binary));
    }

    List<Route> routes() {
        List<Route> all = new ArrayList<>();
        resources.forEach(resource -> all.addAll(resource.byMethod().values()));
        return all;
    }

    /** Media types API Gateway would hand to the function base64-encoded. */
    List<String> binaryMediaTypes() {
        return binaryMediaTypes;
    }

    /** What API Gateway would do with {@code method rawPath}. */
    Lookup find(String method, String rawPath) {
        List<String> segments = Paths.segments(rawPath);
        Resource best = null;
        Map<String, String> bestParams = null;
        for (Resource resource : resources) {
            Map<String, String> params = resource.match(segments);
            if (params != null && (best == null || resource.compareSpecificity(best) > 0)) {
                best = resource;
                bestParams = params;
            }
        }
        if (best == null) {
            return new NotFound();
        }
        Route route = best.byMethod().get(method.toUpperCase(Locale.ROOT));
        if (route == null) {
            route = best.byMethod().get(ANY);
        }
        if (route == null) {
            return new MethodNotAllowed(new TreeSet<>(best.byMethod().keySet()));
        }
        return new Found(route, bestParams);
    }

    sealed interface Lookup permits Found, MethodNotAllowed, NotFound {
    }

    /** @param pathParameters decoded values by name; empty when the resource has none */
    record Found(Route route, Map<String, String> pathParameters) implements Lookup {
    }

    record MethodNotAllowed(Set<String> allowed) implements Lookup {
    }

    record NotFound() implements Lookup {
    }

    private static Map<String, String> handlersByFunction(Map<String, Object> template) {
        Object globalHandler = null;
        if (template.get("Globals") instanceof Map<?, ?> globals && globals.get("Function") instanceof Map<?, ?> fn) {
            globalHandler = fn.get("Handler");
        }
        Map<String, String> handlers = new LinkedHashMap<>();
        for (Map.Entry<String, Object> resource : map(template.get("Resources"), "template Resources").entrySet()) {
            if (!(resource.getValue() instanceof Map<?, ?> definition)) {
                continue;
            }
            Object type = definition.get("Type");
            if (!"AWS::Serverless::Function".equals(type) && !"AWS::Lambda::Function".equals(type)) {
                continue;
            }
            Object handler = definition.get("Properties") instanceof Map<?, ?> props && props.get("Handler") != null
                    ? props.get("Handler") : globalHandler;
            if (handler instanceof String h) {
                handlers.put(resource.getKey(), handlerClass(h, resource.getKey()));
            }
        }
        return handlers;
    }

    /** {@code dev.keyward.handler.CreateKeyHandler::handleRequest} to its class name. */
    static String handlerClass(String handler, String function) {
        String[] parts = handler.strip().split("::", 2);
        if (parts.length == 2 && !parts[1].equals("handleRequest")) {
            throw new IllegalArgumentException(function + " names method " + parts[1]
                    + "; the local API calls RequestHandler.handleRequest");
        }
        return parts[0];
    }

    /**
     * The Lambda authorizer named by the operation's own {@code security}, or null when it has
     * none of its own (the document's default, AWS_IAM, which the local API does not check).
     */
    private static Route.Authorizer authorizerOf(Map<String, Object> operation, Map<String, Object> schemes,
                                                 Map<String, String> handlers, String where) {
        if (!(operation.get("security") instanceof List<?> security) || security.isEmpty()
                || !(security.get(0) instanceof Map<?, ?> requirement) || requirement.isEmpty()) {
            return null;
        }
        String name = String.valueOf(requirement.keySet().iterator().next());
        if (!(schemes.get(name) instanceof Map<?, ?> scheme)
                || !"custom".equals(scheme.get("x-amazon-apigateway-authtype"))
                || !(scheme.get("x-amazon-apigateway-authorizer") instanceof Map<?, ?> authorizer)) {
            return null;
        }
        if (!"request".equalsIgnoreCase(String.valueOf(authorizer.get("type")))) {
            throw new IllegalArgumentException(where + ": authorizer " + name + " is not a REQUEST authorizer");
        }
        Matcher arn = FUNCTION_ARN.matcher(subText(authorizer.get("authorizerUri")));
        if (!arn.find() || handlers.get(arn.group(1)) == null) {
            throw new IllegalArgumentException(where + ": authorizer " + name
                    + " names no function of template.yaml with a Handler");
        }
        String source = String.valueOf(authorizer.get("identitySource"));
        String prefix = "method.request.header.";
        String header = source.startsWith(prefix) ? source.substring(prefix.length()) : null;
        return new Route.Authorizer(arn.group(1), handlers.get(arn.group(1)), header);
    }

    private static String functionOf(Map<String, Object> operation, String where) {
        Object integration = operation.get("x-amazon-apigateway-integration");
        if (!(integration instanceof Map<?, ?> spec)) {
            throw new IllegalArgumentException(where + " has no x-amazon-apigateway-integration");
        }
        Object type = spec.get("type");
        if (type != null && !"aws_proxy".equalsIgnoreCase(String.valueOf(type))) {
            throw new IllegalArgumentException(where + " has integration type " + type
                    + "; only aws_proxy (Lambda proxy) is served locally");
        }
        Matcher arn = FUNCTION_ARN.matcher(subText(spec.get("uri")));
        if (!arn.find()) {
            throw new IllegalArgumentException(where + ": the integration uri names no ${<Function>.Arn}");
        }
        return arn.group(1);
    }

    /** The text of a uri written plainly, as {@code !Sub "..."} or as {@code Fn::Sub: [ "...", {...} ]}. */
    private static String subText(Object uri) {
        if (uri instanceof Map<?, ?> fn && fn.containsKey("Fn::Sub")) {
            uri = fn.get("Fn::Sub");
        }
        if (uri instanceof List<?> list && !list.isEmpty()) {
            uri = list.get(0);
        }
        return uri == null ? "" : String.valueOf(uri);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(what + " must be a mapping");
    }

    /** One resource path and the operations defined on it. */
    private record Resource(String path, Map<String, Route> byMethod) {
        /** The decoded path parameters if {@code segments} fall under this resource, else null. */
        Map<String, String> match(List<String> segments) {
            List<String> template = Paths.segments(path);
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < template.size(); i++) {
                String part = template.get(i);
                if (isGreedy(part)) {
                    if (i != template.size() - 1 || segments.size() <= i) {
                        return null;
                    }
                    params.put(part.substring(1, part.length() - 2), String.join("/", segments.subList(i, segments.size())));
                    return params;
                }
                if (i >= segments.size()) {
                    return null;
                }
                String segment = segments.get(i);
                if (isParameter(part)) {
                    if (segment.isEmpty()) {
                        return null;
                    }
                    params.put(part.substring(1, part.length() - 1), segment);
                } else if (!part.equals(segment)) {
                    return null;
                }
            }
            return template.size() == segments.size() ? params : null;
        }

        /** Positive when this resource is more specific than {@code other} at the first segment they differ. */
        int compareSpecificity(Resource other) {
            List<String> mine = Paths.segments(path);
            List<String> theirs = Paths.segments(other.path);
            for (int i = 0; i < Math.min(mine.size(), theirs.size()); i++) {
                int difference = rank(theirs.get(i)) - rank(mine.get(i));
                if (difference != 0) {
                    return difference;
                }
            }
            return mine.size() - theirs.size();
        }

        private static int rank(String part) {
            return isGreedy(part) ? 2 : isParameter(part) ? 1 : 0;
        }

        private static boolean isParameter(String part) {
            return part.startsWith("{") && part.endsWith("}");
        }

        private static boolean isGreedy(String part) {
            return part.startsWith("{") && part.endsWith("+}");
        }
    }

    /** Path splitting and percent-decoding shared by resources and requests. */
    static final class Paths {
        private Paths() {
        }

        /** The decoded segments of a path: {@code /a/b%20c} is {@code [a, b c]}, {@code /} is {@code []}. */
        static List<String> segments(String rawPath) {
            String path = rawPath == null ? "" : rawPath;
            if (path.startsWith("/")) {
                path = path.substring(1);
            }
            List<String> segments = new ArrayList<>();
            if (path.isEmpty()) {
                return segments;
            }
            for (String segment : path.split("/", -1)) {
                segments.add(decode(segment));
            }
            return segments;
        }

        /** Percent-decoding as in a path: a '+' stays a '+'. */
        static String decode(String s) {
            if (s.indexOf('%') < 0) {
                return s;
            }
            try {
                return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return s;
            }
        }
    }

    @Override
    public String toString() {
        Collection<Route> all = routes();
        StringBuilder text = new StringBuilder();
        all.forEach(route -> text.append(String.format("%-6s %-40s -> %s%n", route.method(), route.resource(),
                route.handlerClass().substring(route.handlerClass().lastIndexOf('.') + 1))));
        return text.toString();
    }
}
