package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
            "{\"orders:read\": \"GET /orders\"}",
            "{\"Orders\": [\"GET /orders\"]}",
            "[\"GET /orders\"]"})
    void of_shouldRefuseDocumentsThatCouldReachAnotherAccountOrAreMalformed(String json) throws Exception {
        Object document = com.fasterxml.jackson.jr.ob.JSON.std.anyFrom(json);

        assertThrows(IllegalArgumentException.class, () -> RouteScopes.of(document), json);
    }

    @Test
    void of_shouldAcceptWildcardsAfterTheAccount_andAccountFreeRoutes() {
        RouteScopes routes = RouteScopes.of(Map.of("*", List.of("GET /", "GET /public/*", "OPTIONS /accounts/{accountId}/*",
                "GET /public/*")));

        assertEquals(List.of(API + "GET/", API + "GET/public/*", API + "OPTIONS/accounts/acme/*"),
                routes.resources(ORDERS_OF_ACME, "acme", Set.of()));
    }
}
