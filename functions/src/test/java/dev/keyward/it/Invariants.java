package dev.keyward.it;

import dev.keyward.invoke.StreamHandlers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.runtime.Keyward;
import dev.keyward.aws.SecretsManagerVault;
import dev.keyward.handler.AuthorizerHandler;
import dev.keyward.it.AwsEnvironment.Aws;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/**
 * What must hold after any scenario, however it failed, read straight from the emulator:
 * <ol>
 *   <li>every key item has its client item and a readable secret, and the authorizer accepts the
 *       secret Secrets Manager hands out;</li>
 *   <li>every {@code keyward/} secret belongs to a key or to a secret note;</li>
 *   <li>the account's key count equals the number of its key items;</li>
 *   <li>a deleted key is refused by the authorizer: no client item outlives its key, and
 *       {@link #assertRefused} checks given credentials.</li>
 * </ol>
 */
public final class Invariants {
    private Invariants() {
    }

    /** Fails with every violation found in these accounts. */
    public static void assertHold(Aws aws, String... accountIds) {
        List<String> violations = new ArrayList<>();
        for (String accountId : accountIds) {
            violations.addAll(violations(aws, accountId));
        }
        assertEquals(List.of(), violations, "invariants");
    }

    /** The Authorization Basic credentials are refused by the authorizer. */
    public static void assertRefused(Aws aws, String clientId, String clientSecret) {
        assertEquals("Unauthorized", authorize(aws, clientId, clientSecret), "a deleted key's credentials");
    }

    /** The invariants that do not hold in {@code accountId}, in words. */
    public static List<String> violations(Aws aws, String accountId) {
        List<String> violations = new ArrayList<>();
        String table = aws.settings().tableName();
        Map<String, Map<String, AttributeValue>> keyItems = new HashMap<>();
        aws.clients().dynamoDb().queryPaginator(q -> q.tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :key)")
                        .expressionAttributeValues(Map.of(":pk", s("ACCOUNT#" + accountId), ":key", s("KEY#"))))
                .items().forEach(item -> keyItems.put(item.get("keyId").s(), item));

        // 1. every key has its client and a readable secret that the authorizer accepts
        for (Map<String, AttributeValue> key : keyItems.values()) {
            String keyId = key.get("keyId").s();
            String clientId = key.get("clientId").s();
            Map<String, AttributeValue> client = item(aws, "CLIENT#" + clientId, "CLIENT");
            if (client == null) {
                violations.add(keyId + ": key without client item");
                continue;
            }
            if (!keyId.equals(client.get("keyId").s()) || !accountId.equals(client.get("accountId").s())) {
                violations.add(keyId + ": client item belongs to another key");
            }
            String secret;
            try {
                Map<String, Object> stored = JSON.std.mapFrom(aws.clients().secretsManager()
                        .getSecretValue(g -> g.secretId(key.get("secretArn").s())).secretString());
                if (!clientId.equals(stored.get("clientId"))) {
                    violations.add(keyId + ": the secret holds another Client ID");
                }
                secret = (String) stored.get("clientSecret");
            } catch (ResourceNotFoundException | software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException e) {
                violations.add(keyId + ": key without a readable secret");
                continue;
            } catch (IOException e) {
                violations.add(keyId + ": the secret is not JSON");
                continue;
            }
            if (!"Allow".equals(authorize(aws, clientId, secret))) {
                violations.add(keyId + ": the authorizer refuses the secret Secrets Manager holds");
            }
        }

        // 2. every secret of the account belongs to a key or to a secret note
        String prefix = SecretsManagerVault.NAME_PREFIX + accountId + "/";
        for (SecretListEntry secret : aws.clients().secretsManager().listSecretsPaginator(l -> l.maxResults(100))
                .stream().flatMap(p -> p.secretList().stream()).filter(s -> s.name().startsWith(prefix)).toList()) {
            String keyId = secret.name().substring(prefix.length());
            if (!keyItems.containsKey(keyId) && item(aws, "SECRET_NOTE", accountId + "#" + keyId) == null) {
                violations.add(keyId + ": secret with neither key nor note");
            }
        }

        // 3. the count is the number of keys
        Map<String, AttributeValue> meta = item(aws, "ACCOUNT#" + accountId, "META");
        int count = meta == null || meta.get("keyCount") == null ? 0 : Integer.parseInt(meta.get("keyCount").n());
        if (count != keyItems.size()) {
            violations.add("keyCount " + count + " but " + keyItems.size() + " key items");
        }

        // 4. no client item outlives its key (the authorizer reads only the client item)
        Set<String> clientsOfKeys = new HashSet<>();
        keyItems.values().forEach(k -> clientsOfKeys.add(k.get("clientId").s()));
        aws.clients().dynamoDb().scanPaginator(sc -> sc.tableName(table).consistentRead(true)
                        .filterExpression("begins_with(pk, :client) AND accountId = :account")
                        .expressionAttributeValues(Map.of(":client", s("CLIENT#"), ":account", s(accountId))))
                .items().forEach(client -> {
                    String clientId = client.get("pk").s().substring("CLIENT#".length());
                    if (!clientsOfKeys.contains(clientId)) {
                        violations.add(client.get("keyId").s() + ": client item without key");
                    }
                });
        return violations;
    }

    /** The secret notes of an account: secrets that may have no key, for the sweep. */
    public static Set<String> notedKeyIds(Aws aws, String accountId) {
        Set<String> noted = new HashSet<>();
        aws.clients().dynamoDb().queryPaginator(q -> q.tableName(aws.settings().tableName()).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :account)")
                        .expressionAttributeValues(Map.of(":pk", s("SECRET_NOTE"), ":account", s(accountId + "#"))))
                .items().forEach(item -> noted.add(item.get("keyId").s()));
        return noted;
    }

    /** The Secrets Manager secrets of an account, by key id. */
    public static Set<String> secretKeyIds(Aws aws, String accountId) {
        String prefix = SecretsManagerVault.NAME_PREFIX + accountId + "/";
        Set<String> ids = new HashSet<>();
        aws.clients().secretsManager().listSecretsPaginator(l -> l.maxResults(100)).stream()
                .flatMap(p -> p.secretList().stream()).map(SecretListEntry::name).filter(n -> n.startsWith(prefix))
                .forEach(n -> ids.add(n.substring(prefix.length())));
        return ids;
    }

    /** The Client Secret Secrets Manager hands out for a key now (its current version). */
    public static String currentSecret(Aws aws, String accountId, String keyId) {
        String json = aws.clients().secretsManager().getSecretValue(g -> g.secretId(
                SecretsManagerVault.NAME_PREFIX + accountId + "/" + keyId)).secretString();
        try {
            return (String) com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(json).get("clientSecret");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String authorize(Aws aws, String clientId, String clientSecret) {
        var authorizer = StreamHandlers.authorizer(new AuthorizerHandler(
                Keyward.verifier(aws.settings(), aws.clients(), Clock.systemUTC())));
        IamPolicyResponseV1 policy;
        try {
            policy = authorizer.handleRequest(Events.authorize(Events.basic(clientId, clientSecret)), null);
        } catch (dev.keyward.http.Authorizers.AuthorizerFailure e) {
            return e.getMessage(); // "Unauthorized": API Gateway's 401
        }
        Map<?, ?>[] statements = (Map<?, ?>[]) policy.getPolicyDocument().get("Statement");
        return String.valueOf(statements[0].get("Effect"));
    }

    private static Map<String, AttributeValue> item(Aws aws, String pk, String sk) {
        Map<String, AttributeValue> item = aws.clients().dynamoDb().getItem(g -> g.tableName(aws.settings().tableName())
                .consistentRead(true).key(Map.of("pk", s(pk), "sk", s(sk)))).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
