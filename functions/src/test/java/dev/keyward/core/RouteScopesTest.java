package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The routes a key's scopes open, as the execute-api ARNs of its own account, API and stage. */
class RouteScopesTest {
    private static final String API = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/";
    private static final String ORDERS_OF_ACME = API + "GET/accounts/acme/orders";
    private static final RouteScopes ROUTES = RouteScopes.of(Map.of(
            "*", List.of("GET /whoami"),
            "orders:read", List.of("GET /accounts/{accountId}/orders", "GET /accounts/{accountId}/orders/*"),
            "orders:write", List.of("POST /accounts/{accountId}/orders", "PUT /accounts/{accountId}/orders/{orderId}"),
            "reports:read", List.of("* /accounts/{accountId}/reports/{reportId}/pages/*")));

    @Test
    void covers_shouldMatchAMethodArnAsApiGatewayMatchesAPolicysResources() {
        List<String> resources = ROUTES.resources(ORDERS_OF_ACME, "acme", Set.of("orders:read", "reports:read"));

        assertTrue(RouteScopes.covers(resources, ORDERS_OF_ACME));
        assertTrue(RouteScopes.covers(resources, API + "GET/accounts/acme/orders/7/lines/2"), "* spans slashes");
        assertTrue(RouteScopes.covers(resources, API + "DELETE/accounts/acme/reports/r1/pages/9"));
        assertTrue(RouteScopes.covers(resources, API + "GET/whoami"));
        assertFalse(RouteScopes.covers(resources, API + "POST/accounts/acme/orders"));
        assertFalse(RouteScopes.covers(resources, API + "GET/accounts/globex/orders"));
        assertFalse(RouteScopes.covers(resources, API + "GET/accounts/acme/ordersX"));
        assertFalse(RouteScopes.covers(resources, API + "GET/accounts/acme/reports/r1"));
        assertFalse(RouteScopes.covers(resources, "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/test/GET/whoami"),
                "another stage");
        assertFalse(RouteScopes.covers(List.of("*"), null), "no method ARN: nothing is covered");
        assertFalse(RouteScopes.covers(List.of("*"), "not an arn"));
        assertFalse(RouteScopes.covers(List.of(), ORDERS_OF_ACME));
    }

    @Test
    void matches_shouldLetEachStarSpanAnyRun_backtrackingWhenALaterPartFails() {
        assertTrue(RouteScopes.matches("a*b", "ab"));
        assertTrue(RouteScopes.matches("*b", "ab"), "a leading star backtracks too");
        assertTrue(RouteScopes.matches("*/whoami", "GET/whoami"));
        assertTrue(RouteScopes.matches("a*b", "axxb"));
        assertTrue(RouteScopes.matches("a*bc", "abxbc"), "the star takes the first b too");
        assertTrue(RouteScopes.matches("a*b*c", "a1b2b3c"));
        assertTrue(RouteScopes.matches("*", ""));
        assertTrue(RouteScopes.matches("a*", "a"));
        assertTrue(RouteScopes.matches("a**", "abc"));
        assertTrue(RouteScopes.matches("abc", "abc"));
        assertFalse(RouteScopes.matches("a*b", "axxbx"));
        assertFalse(RouteScopes.matches("a*b", "a"));
        assertFalse(RouteScopes.matches("a*c", "abcbd"));
        assertFalse(RouteScopes.matches("a*", "b"));
        assertFalse(RouteScopes.matches("ab", "a"));
        assertFalse(RouteScopes.matches("a", "ab"));
        assertFalse(RouteScopes.matches("", "a"));
        assertFalse(RouteScopes.matches("abc", "abd"));
    }

    @Test
    void route_shouldBeTheMethodAndPathOfAMethodArn() {
        assertEquals("GET /accounts/acme/orders", RouteScopes.route(ORDERS_OF_ACME));
        assertEquals("GET /", RouteScopes.route(API + "GET/"));
        assertEquals("GET", RouteScopes.route(API + "GET"));
        assertEquals(null, RouteScopes.route("not an arn"));
        assertEquals(null, RouteScopes.route(null));
    }

    @Test
    void resources_shouldBeExactlyTheScopesRoutes_inTheKeysAccount_apiAndStage() {
        List<String> resources = ROUTES.resources(ORDERS_OF_ACME, "acme", Set.of("orders:read"));

        assertEquals(Set.of(
                API + "GET/whoami",
                API + "GET/accounts/acme/orders",
                API + "GET/accounts/acme/orders/*"), Set.copyOf(resources));
        assertEquals(3, resources.size());
    }

    @Test
    void resources_shouldFollowTheRequestsApiAndStage_notAnotherOnes() {
        String staging = "arn:aws-cn:execute-api:cn-north-1:210987654321:zzz999/staging/GET/accounts/acme/orders";

        assertEquals(Set.of("arn:aws-cn:execute-api:cn-north-1:210987654321:zzz999/staging/GET/whoami",
                        "arn:aws-cn:execute-api:cn-north-1:210987654321:zzz999/staging/POST/accounts/globex/orders",
                        "arn:aws-cn:execute-api:cn-north-1:210987654321:zzz999/staging/PUT/accounts/globex/orders/*"),
                Set.copyOf(ROUTES.resources(staging, "globex", Set.of("orders:write"))));
    }

    @Test
    void toString_shouldShowTheRoutesOfEachScope() {
        String text = RouteScopes.of(Map.of("orders:read", List.of("GET /accounts/{accountId}/orders"))).toString();

        assertTrue(text.contains("orders:read") && text.contains("/accounts/{accountId}/orders"), text);
    }

    @Test
    void resources_shouldGiveAKeyWithoutScopesOnlyTheRoutesOpenToEveryKey() {
        assertEquals(List.of(API + "GET/whoami"), ROUTES.resources(ORDERS_OF_ACME, "acme", Set.of()));
        assertEquals(List.of(API + "GET/whoami"), ROUTES.resources(ORDERS_OF_ACME, "acme", Set.of("unknown:scope")));
    }

    @Test
    void resources_shouldTurnOtherPathParametersAndAnyMethodIntoWildcards() {
        assertEquals(Set.of(API + "GET/whoami", API + "*/accounts/acme/reports/*/pages/*"),
                Set.copyOf(ROUTES.resources(ORDERS_OF_ACME, "acme", Set.of("reports:read"))));
    }

    @Test
    void resources_shouldBeEmpty_forAMalformedMethodArnOrAccount() {
        assertEquals(List.of(), ROUTES.resources("arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/*/GET/x", "acme", Set.of()));
        assertEquals(List.of(), ROUTES.resources("arn:aws:lambda:eu-west-1:123456789012:function:f", "acme", Set.of()));
        assertEquals(List.of(), ROUTES.resources(null, "acme", Set.of()));
        assertEquals(List.of(), ROUTES.resources(ORDERS_OF_ACME, "acme/*", Set.of("orders:read")), "no wildcard smuggled in");
    }

    @Test
    void resources_shouldBeEmpty_whenNothingIsOpenToEveryKeyAndTheKeyHasNoScope() {
        RouteScopes scopedOnly = RouteScopes.of(Map.of("orders:read", List.of("GET /accounts/{accountId}/orders")));

        assertEquals(List.of(), scopedOnly.resources(ORDERS_OF_ACME, "acme", Set.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"orders:read\": [\"GET /accounts/*/orders\", \"GET /accounts/{accountId}/orders\"]}",
            "{\"orders:read\": [\"GET /accounts/{other}/{accountId}/orders\"]}",
            "{\"orders:read\": [\"GET /accounts/{accountId}*\"]}",
            "{\"orders:read\": [\"GET /accounts/x{accountId}/orders\"]}",
            "{\"orders:read\": [\"GET /accounts/{accountId}/{accountId}\"]}",
            "{\"*\": [\"GET /*\"]}",
            "{\"*\": [\"GET /a*\"]}",
            "{\"*\": [\"* /{proxy+}\"]}",
            "{\"*\": [\"GET /accounts\"]}",
            "{\"orders:read\": [\"FETCH /orders\"]}",
            "{\"orders:read\": [\"GET orders\"]}",
            "{\"orders:read\": [\"GET /orders//all\"]}",
            "{\"*\": [\"GET /v1/accounts/*\"]}",
            "{\"*\": [\"GET /v1/accounts/{other}/orders\"]}",
            "{\"*\": [\"GET /v1/accounts/globex/orders\"]}",
            "{\"*\": [\"GET /v1/accounts\"]}",
            "{\"*\": [\"GET /v1/Accounts/globex\"]}",
            "{\"*\": [\"GET /v2/{anything}\"]}",
            "{\"*\": [\"GET /v2/*\"]}",
            "{\"*\": [\"GET /v2/x*\"]}",
            "{\"*\": [\"GET /public/*\"]}",
            "{\"*\": [\"GET /v1/{version}/accounts/{accountId}/orders\"]}",
            "{\"*\": [\"GET /tenants/{accountId}/*\"]}",
            "{\"*\": [\"GET /accounts/{accountId}/../globex/orders\"]}",
            "{\"*\": [\"GET /accounts/{accountId}/./x\"]}",
            "{\"orders:read\": \"GET /orders\"}",
            "{\"Orders\": [\"GET /orders\"]}",
            "[\"GET /orders\"]"})
    void of_shouldRefuseDocumentsThatCouldReachAnotherAccountOrAreMalformed(String json) throws Exception {
        Object document = com.fasterxml.jackson.jr.ob.JSON.std.anyFrom(json);

        assertThrows(IllegalArgumentException.class, () -> RouteScopes.of(document), json);
    }

    @Test
    void of_shouldAcceptWildcardsAfterTheAccount_andAccountFreeRoutes() {
        RouteScopes routes = RouteScopes.of(Map.of("*", List.of("GET /", "GET /public/status", "OPTIONS /accounts/{accountId}/*",
                "GET /v1/accounts/{accountId}/orders/{orderId}", "GET /tenants/{accountId}/profile", "GET /{accountId}/profile",
                "GET /public/status")));

        assertEquals(List.of(API + "GET/", API + "GET/public/status", API + "OPTIONS/accounts/acme/*",
                        API + "GET/v1/accounts/acme/orders/*", API + "GET/tenants/acme/profile", API + "GET/acme/profile"),
                routes.resources(ORDERS_OF_ACME, "acme", Set.of()));
    }

    /**
     * Every route a document may hold, turned into the ARN the authorizer allows, matched the way
     * IAM matches execute-api ARNs ({@code *} spans anything, '/' too) against paths that name
     * another account, wherever their accounts segment sits: none may match.
     */
    @ParameterizedTest
    @ValueSource(strings = {"GET /whoami", "GET /", "* /accounts/{accountId}/*", "GET /accounts/{accountId}",
            "GET /v1/accounts/{accountId}/orders/*", "PUT /v2/accounts/{accountId}/orders/{orderId}",
            "GET /tenants/{accountId}/profile", "GET /accounts/{accountId}/reports/{reportId}/pages/*"})
    void noAcceptedRoute_shouldMatchAPathThatNamesAnotherAccount(String route) {
        List<String> foreign = List.of("accounts/globex", "accounts/globex/orders", "accounts/globex/orders/1",
                "v1/accounts/globex/orders/1", "v2/accounts/globex/orders/1", "x/accounts/globex",
                "tenants/globex/profile", "accounts/acme-globex/orders", "accounts/acmex/orders/1");
        List<String> resources = RouteScopes.of(Map.of("*", List.of(route))).resources(ORDERS_OF_ACME, "acme", Set.of());

        assertEquals(1, resources.size(), route);
        String allowed = resources.get(0).substring(API.length());
        for (String path : foreign) {
            for (String method : List.of("GET", "PUT")) {
                String requested = method + "/" + path;
                assertFalse(globMatches(allowed, requested), route + " allows " + requested);
            }
        }
    }

    /** IAM's ARN wildcard: {@code *} any run of characters ('/' too), everything else literal. */
    private static boolean globMatches(String pattern, String text) {
        List<String> parts = java.util.Arrays.stream(pattern.split("\\*", -1)).map(java.util.regex.Pattern::quote).toList();
        return text.matches(String.join(".*", parts));
    }
}
