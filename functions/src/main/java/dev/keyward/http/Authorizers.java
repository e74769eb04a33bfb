package dev.keyward.http;

import com.amazonaws.services.lambda.runtime.Context;
import dev.keyward.core.DependencyUnavailableException;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.Verdict;
import dev.keyward.telemetry.Invocation;
import dev.keyward.telemetry.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The REQUEST authorizer's side of API Gateway: the Authorization header in, an IAM policy out,
 * both as the JSON API Gateway sends and expects.
 *
 * <p>API Gateway answers 401 when the authorizer fails with the message {@code Unauthorized}:
 * what a request gets whose credentials are missing, malformed, unknown or wrong (an expired or
 * deleted key, a rotated-out secret), so that a client re-reads its secret on 401 alone. Valid
 * credentials of a key that may not call the route get a policy that does not cover it, to which
 * API Gateway answers 403: the client has the current secret and needs another scope. Any other
 * failure (DynamoDB unreachable) becomes a 500 from API Gateway: never an Allow, and not a 401
 * either, so the integration retries rather than concluding its credentials are wrong.
 *
 * <p>An Allow names exactly the routes the key may call ({@link dev.keyward.core.RouteScopes#resources}):
 * those of its scopes and those open to every key, in its own account, this API and this stage.
 * API Gateway then refuses (403) any other route, whatever the handler behind it checks. A key
 * that may call nothing at all gets a Deny, and so does a key limited to networks called from
 * another address (403 too: the credentials are right, so re-reading them would not help).
 *
 * <p>The address compared with a key's networks is {@code requestContext.identity.sourceIp}, the
 * one API Gateway saw the connection come from, never a header such as X-Forwarded-For, which the
 * caller writes.
 */
public final class Authorizers {
    /** The context keys the protected routes read from {@code requestContext.authorizer}. */
    public static final String ACCOUNT_ID = "accountId";
    public static final String KEY_ID = "keyId";
    /** The key's scopes, space-separated and sorted (context values must be strings). */
    public static final String SCOPES = "scopes";
    static final String ALLOW = "Allow";
    static final String DENY = "Deny";
    /** The failure message API Gateway turns into its 401 gateway response. */
    public static final String UNAUTHORIZED = "Unauthorized";

    private Authorizers() {
    }

    /** Reads the authorizer event from {@code input} and writes the policy to {@code output}. */
    public static void authorize(InputStream input, OutputStream output, Context context,
                                 Function<KeyVerifier.Request, Verdict> verify) throws IOException {
        Map<String, Object> event = Envelopes.read(input);
        String apiRequestId = Envelopes.text(Envelopes.object(event, "requestContext"), "requestId");
        Map<String, Object> policy = Invocation.during(context, apiRequestId, () -> authorize(event, verify));
        Envelopes.write(policy, output);
    }

    /** What the check is given of the event: the Authorization header, the source address, the method ARN. */
    static KeyVerifier.Request request(Map<String, Object> event) {
        Map<String, Object> identity = Envelopes.object(Envelopes.object(event, "requestContext"), "identity");
        return new KeyVerifier.Request(Envelopes.header(event, "Authorization"), Envelopes.text(identity, "sourceIp"),
                Envelopes.text(event, "methodArn"));
    }

    static Map<String, Object> authorize(Map<String, Object> event, Function<KeyVerifier.Request, Verdict> verify) {
        Verdict verdict;
        try {
            verdict = verify.apply(request(event));
        } catch (DependencyUnavailableException e) {
            // AWS busy or unreachable: API Gateway answers 500 and the integration retries
            Log.warn("authorizer_failed", Map.of(), e);
            throw new AuthorizerFailure("Authorizer could not verify the credentials");
        } catch (RuntimeException e) {
            Log.error("authorizer_failed", Map.of(), e);
            throw new AuthorizerFailure("Authorizer could not verify the credentials");
        }
        String methodArn = Envelopes.text(event, "methodArn");
        return switch (verdict.outcome()) {
            case NO_CREDENTIALS, DENY -> throw new AuthorizerFailure(UNAUTHORIZED);
            case FORBIDDEN -> policy(verdict.keyId(), DENY, thisRequest(methodArn), null);
            case ALLOW -> allow(methodArn, verdict);
        };
    }

    private static Map<String, Object> allow(String methodArn, Verdict verdict) {
        List<String> resources = verdict.resources();
        if (resources.isEmpty()) {
            return policy(verdict.keyId(), DENY, thisRequest(methodArn), null);
        }
        return policy(verdict.keyId(), ALLOW, resources, Map.of(
                ACCOUNT_ID, verdict.accountId(),
                KEY_ID, verdict.keyId(),
                SCOPES, String.join(" ", verdict.scopes())));
    }

    private static List<String> thisRequest(String methodArn) {
        return methodArn == null ? List.of() : List.of(methodArn);
    }

    private static Map<String, Object> policy(String principalId, String effect, List<String> resources,
                                              Map<String, Object> context) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Action", "execute-api:Invoke");
        statement.put("Effect", effect);
        statement.put("Resource", resources);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", "2012-10-17");
        document.put("Statement", List.of(statement));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("principalId", principalId);
        response.put("policyDocument", document);
        if (context != null) {
            response.put("context", context);
        }
        return response;
    }

    /** How a Lambda authorizer tells API Gateway to answer 401 ("Unauthorized") or 500 (anything else). */
    public static final class AuthorizerFailure extends RuntimeException {
        AuthorizerFailure(String message) {
            super(message, null, false, false);
        }
    }
}
