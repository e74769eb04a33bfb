package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static final String TEMPLATE = """
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
              ListFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: example.ListHandler::handleRequest
                  Environment: { Variables: { T: !Ref Table } }
              GetFunction:
                Type: AWS::Serverless::Function
                Properties: { Handler: example.GetHandler::handleRequest }
              MineFunction:
                Type: AWS::Serverless::Function
                Properties: { Handler: example.MineHandler }
              ProxyFunction:
                Type: AWS::Serverless::Function
                Properties: { Handler: example.ProxyHandler::handleRequest }
            """;

    private static String op(String function) {
        return "{ x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, "
                + "uri: !Sub \"arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${"
                + function + ".Arn}/invocations\" } }";
    }

    private static final String OPENAPI = """
            openapi: 3.0.1
            paths:
              /things:
                get: %s
              /things/{thingId}:
                parameters: [ { name: thingId, in: path, required: true } ]
                get: %s
                delete: %s
              /things/mine:
                get: %s
              /files/{path+}:
                x-amazon-apigateway-any-method: %s
            """.formatted(op("ListFunction"), op("GetFunction"), op("GetFunction"), op("MineFunction"),
            op("ProxyFunction"));

    private final RouteTable table = RouteTable.of(CfnYaml.parse(OPENAPI), CfnYaml.parse(TEMPLATE));

    @Test
    void load_findsEachRouteOnTheFunctionThatDeclaresIt_inTheRegistryTheLocalApiBuildsFrom() throws Exception {
        RouteTable deployed = RouteTable.load(Path.of("../infra/openapi.yaml"), Path.of("../infra/template.yaml"));

        for (Route route : deployed.routes()) {
            dev.keyward.handler.Functions function = dev.keyward.handler.Functions.byHandler(route.handlerClass());
            // the route it is primed on is one of those it serves (whoami serves two)
            assertTrue(deployed.routes().stream().anyMatch(r -> r.handlerClass().equals(route.handlerClass())
                    && (r.method() + " " + r.resource()).equals(function.method() + " " + function.path())), route.toString());
            if (route.authorizer() != null) {
                assertEquals(dev.keyward.handler.Functions.AUTHORIZER,
                        dev.keyward.handler.Functions.byHandler(route.authorizer().handlerClass()));
            }
        }
    }

    @Test
    void load_readsTheDeployedApi_andEveryHandlerIsOnTheClasspathAsAStreamHandler() throws Exception {
        RouteTable deployed = RouteTable.load(Path.of("../infra/openapi.yaml"), Path.of("../infra/template.yaml"));

        assertTrue(deployed.routes().size() >= 4, "the four key routes at least: " + deployed.routes());
        for (Route route : deployed.routes()) {
            Class<?> handler = Class.forName(route.handlerClass());
            assertTrue(RequestStreamHandler.class.isAssignableFrom(handler), route + " is a RequestStreamHandler");
            // built with the service, or with nothing when it needs none (/whoami)
            assertTrue(java.util.Arrays.stream(handler.getConstructors()).anyMatch(c -> c.getParameterCount() == 0
                    || List.of(c.getParameterTypes()).equals(List.of(dev.keyward.core.KeyPorts.class))), route.toString());
            if (route.authorizer() != null) {
                Class<?> authorizer = Class.forName(route.authorizer().handlerClass());
                authorizer.getConstructor(dev.keyward.core.KeyVerifier.class);
                assertTrue(RequestStreamHandler.class.isAssignableFrom(authorizer), route + "'s authorizer is a RequestStreamHandler");
            }
        }
        RouteTable.Found whoami = assertInstanceOf(RouteTable.Found.class, deployed.find("GET", "/whoami"));
        assertEquals(new Route.Authorizer("AuthorizerFunction", "dev.keyward.handler.AuthorizerHandler", "Authorization"),
                whoami.route().authorizer());
        RouteTable.Found list = assertInstanceOf(RouteTable.Found.class, deployed.find("GET", "/accounts/acme/keys"));
        assertEquals(null, list.route().authorizer(), "admin routes are AWS_IAM, not the key authorizer");
        RouteTable.Found create = assertInstanceOf(RouteTable.Found.class,
                deployed.find("POST", "/accounts/acme/keys"));
        assertEquals("dev.keyward.handler.CreateKeyHandler", create.route().handlerClass());
        RouteTable.Found delete = assertInstanceOf(RouteTable.Found.class,
                deployed.find("DELETE", "/accounts/acme/keys/key_1"));
        assertEquals("dev.keyward.handler.DeleteKeyHandler", delete.route().handlerClass());
        assertEquals(Map.of("accountId", "acme", "keyId", "key_1"), delete.pathParameters());
    }

    @Test
    void find_returnsTheRouteAndItsDecodedPathParameters() {
        RouteTable.Found found = assertInstanceOf(RouteTable.Found.class, table.find("GET", "/things/a%20b%2Fc+d"));

        assertEquals(new Route("GET", "/things/{thingId}", "GetFunction", "example.GetHandler"), found.route());
        assertEquals(Map.of("thingId", "a b/c+d"), found.pathParameters());
    }

    @Test
    void find_prefersALiteralSegmentOverAParameter() {
        RouteTable.Found found = assertInstanceOf(RouteTable.Found.class, table.find("GET", "/things/mine"));

        assertEquals("example.MineHandler", found.route().handlerClass());
        assertEquals(Map.of(), found.pathParameters());
    }

    @Test
    void find_answersMethodNotAllowed_withTheMethodsTheResourceHas() {
        RouteTable.MethodNotAllowed notAllowed = assertInstanceOf(RouteTable.MethodNotAllowed.class,
                table.find("PUT", "/things/t1"));

        assertEquals(Set.of("DELETE", "GET"), notAllowed.allowed());
    }

    @Test
    void find_answersNotFound_forUnknownPathsEmptySegmentsAndTrailingSlashes() {
        for (String path : List.of("/", "/nothing", "/things/t1/more", "/things//", "/things/", "//things")) {
            assertInstanceOf(RouteTable.NotFound.class, table.find("GET", path), path);
        }
    }

    @Test
    void find_matchesAGreedyParameterAndTheAnyMethod() {
        RouteTable.Found found = assertInstanceOf(RouteTable.Found.class, table.find("PATCH", "/files/a/b/c.txt"));

        assertEquals("ANY", found.route().method());
        assertEquals(Map.of("path", "a/b/c.txt"), found.pathParameters());
        assertInstanceOf(RouteTable.NotFound.class, table.find("GET", "/files"));
    }

    @Test
    void of_readsTheLongFormSubAndAHandlerFromGlobals() {
        String template = """
                Globals: { Function: { Handler: example.Shared::handleRequest } }
                Resources:
                  OneFunction: { Type: AWS::Serverless::Function, Properties: { MemorySize: 512 } }
                """;
        String openapi = """
                paths:
                  /one:
                    post:
                      x-amazon-apigateway-integration:
                        type: aws_proxy
                        uri:
                          Fn::Sub:
                            - "arn:aws:apigateway:${R}:lambda:path/functions/${OneFunction.Arn}/invocations"
                            - { R: !Ref AWS::Region }
                """;

        RouteTable routes = RouteTable.of(CfnYaml.parse(openapi), CfnYaml.parse(template));

        assertEquals(List.of(new Route("POST", "/one", "OneFunction", "example.Shared")), routes.routes());
    }

    @Test
    void of_refusesAnOperationWhoseFunctionTheTemplateDoesNotDefine() {
        String openapi = "paths: { /x: { get: " + op("MissingFunction") + " } }";

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RouteTable.of(CfnYaml.parse(openapi), CfnYaml.parse(TEMPLATE)));

        assertTrue(e.getMessage().contains("GET /x is integrated with MissingFunction"), e.getMessage());
    }

    @Test
    void of_refusesAnOperationWithoutAnIntegrationOrWithANonProxyOne() {
        assertThrows(IllegalArgumentException.class, () -> RouteTable.of(
                CfnYaml.parse("paths: { /x: { get: { responses: {} } } }"), CfnYaml.parse(TEMPLATE)));
        assertThrows(IllegalArgumentException.class, () -> RouteTable.of(CfnYaml.parse(
                "paths: { /x: { get: { x-amazon-apigateway-integration: { type: mock } } } }"), CfnYaml.parse(TEMPLATE)));
    }

    @Test
    void of_refusesAHandlerMethodOtherThanHandleRequest() {
        String template = "Resources: { F: { Type: AWS::Serverless::Function, Properties: { Handler: a.B::other } } }";

        assertThrows(IllegalArgumentException.class,
                () -> RouteTable.of(CfnYaml.parse("paths: { /x: { get: " + op("F") + " } }"), CfnYaml.parse(template)));
    }
}
