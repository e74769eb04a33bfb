package dev.keyward.http;

import dev.keyward.core.Failures;
import dev.keyward.core.Verdict;
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
 * <p>API Gateway answers 403 to a Deny policy and 401 when the authorizer fails with the message
 * {@code Unauthorized}, which is what a request without credentials gets. Any other failure
 * (DynamoDB unreachable) becomes a 500 from API Gateway: never an Allow, and not a Deny either,
 * so the integration retries rather than concluding its credentials are wrong.
 */
public final class Authorizers {
    /** The context keys the protected routes read from {@code requestContext.authorizer}. */
    public static final String ACCOUNT_ID = "accountId";
    public static final String KEY_ID = "keyId";
    static final String ALLOW = "Allow";
    static final String DENY = "Deny";

    private Authorizers() {
    }

    /** Reads the authorizer event from {@code input} and writes the policy to {@code output}. */
    public static void authorize(InputStream input, OutputStream output, Function<String, Verdict> verify)
            throws IOException {
        Envelopes.write(authorize(Envelopes.read(input), verify), output);
    }

    static Map<String, Object> authorize(Map<String, Object> event, Function<String, Verdict> verify) {
        Verdict verdict;
        try {
            verdict = verify.apply(Envelopes.header(event, "Authorization"));
        } catch (RuntimeException e) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("level", Api.level(e));
            line.put("event", "authorizer_failed");
            line.putAll(Failures.describe(e));
            System.out.println(JsonBodies.write(line));
            throw new AuthorizerFailure("Authorizer could not verify the credentials");
        }
        String methodArn = Envelopes.text(event, "methodArn");
        return switch (verdict.outcome()) {
            case NO_CREDENTIALS -> throw new AuthorizerFailure("Unauthorized");
            case DENY -> policy("anonymous", DENY, methodArn, null);
            case ALLOW -> policy(verdict.keyId(), ALLOW, methodArn,
                    Map.of(ACCOUNT_ID, verdict.accountId(), KEY_ID, verdict.keyId()));
        };
    }

    private static Map<String, Object> policy(String principalId, String effect, String methodArn,
                                              Map<String, Object> context) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Action", "execute-api:Invoke");
        statement.put("Effect", effect);
        // this request only: with caching off nothing else may reuse the answer anyway
        statement.put("Resource", methodArn == null ? List.of() : List.of(methodArn));
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
