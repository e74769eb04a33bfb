package dev.keyward.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.keyward.core.Failures;
import dev.keyward.core.RouteScopes;
import dev.keyward.core.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The REQUEST authorizer's side of API Gateway: the Authorization header in, an IAM policy out.
 *
 * <p>API Gateway answers 403 to a Deny policy and 401 when the authorizer fails with the message
 * {@code Unauthorized}, which is what a request without credentials gets. Any other failure
 * (DynamoDB unreachable) becomes a 500 from API Gateway: never an Allow, and not a Deny either,
 * so the integration retries rather than concluding its credentials are wrong.
 *
 * <p>An Allow names exactly the routes the key may call ({@link RouteScopes#resources}): those of
 * its scopes and those open to every key, in its own account, this API and this stage. API
 * Gateway then refuses (403) any other route, whatever the handler behind it checks. A key that
 * may call nothing at all gets a Deny.
 */
public final class Authorizers {
    /** The context keys the protected routes read from {@code requestContext.authorizer}. */
    public static final String ACCOUNT_ID = "accountId";
    public static final String KEY_ID = "keyId";
    /** The key's scopes, space-separated and sorted (context values must be strings). */
    public static final String SCOPES = "scopes";

    private Authorizers() {
    }

    public static IamPolicyResponseV1 authorize(APIGatewayCustomAuthorizerEvent event, Function<String, Verdict> verify,
                                                RouteScopes routes) {
        Verdict verdict;
        try {
            verdict = verify.apply(header(event.getHeaders(), "Authorization"));
        } catch (RuntimeException e) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("level", "ERROR");
            line.put("event", "authorizer_failed");
            line.putAll(Failures.describe(e));
            System.out.println(JsonBodies.write(line));
            throw new AuthorizerFailure("Authorizer could not verify the credentials");
        }
        return switch (verdict.outcome()) {
            case NO_CREDENTIALS -> throw new AuthorizerFailure("Unauthorized");
            case DENY -> policy("anonymous", IamPolicyResponseV1.DENY, List.of(event.getMethodArn()), null);
            case ALLOW -> allow(event.getMethodArn(), verdict, routes);
        };
    }

    private static IamPolicyResponseV1 allow(String methodArn, Verdict verdict, RouteScopes routes) {
        List<String> resources = routes.resources(methodArn, verdict.accountId(), verdict.scopes());
        if (resources.isEmpty()) {
            return policy(verdict.keyId(), IamPolicyResponseV1.DENY, List.of(methodArn), null);
        }
        return policy(verdict.keyId(), IamPolicyResponseV1.ALLOW, resources, Map.of(
                ACCOUNT_ID, verdict.accountId(),
                KEY_ID, verdict.keyId(),
                SCOPES, String.join(" ", verdict.scopes())));
    }

    private static IamPolicyResponseV1 policy(String principalId, String effect, List<String> resources,
                                              Map<String, Object> context) {
        IamPolicyResponseV1.Statement statement = IamPolicyResponseV1.Statement.builder()
                .withEffect(effect)
                .withAction(IamPolicyResponseV1.EXECUTE_API_INVOKE)
                .withResource(resources)
                .build();
        return IamPolicyResponseV1.builder()
                .withPrincipalId(principalId)
                .withPolicyDocument(IamPolicyResponseV1.PolicyDocument.builder()
                        .withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                        .withStatement(List.of(statement))
                        .build())
                .withContext(context)
                .build();
    }

    /** Header names are case-insensitive; API Gateway passes them as the client sent them. */
    static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (name.equalsIgnoreCase(header.getKey())) {
                return header.getValue();
            }
        }
        return null;
    }

    /** How a Lambda authorizer tells API Gateway to answer 401 ("Unauthorized") or 500 (anything else). */
    public static final class AuthorizerFailure extends RuntimeException {
        AuthorizerFailure(String message) {
            super(message, null, false, false);
        }
    }
}
