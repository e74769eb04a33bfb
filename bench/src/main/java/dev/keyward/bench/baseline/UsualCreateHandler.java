package dev.keyward.bench.baseline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * "The usual way" to write Keyward's create: an event-object handler, both SDK clients built with
 * their defaults (Apache HTTP client, the default credentials and region chains) in the constructor,
 * jackson-databind for the body. It makes the same AWS calls as Keyward's create: read the account's
 * key count, note the secret, store the secret, save key, client and count in one transaction,
 * write the audit event.
 */
public final class UsualCreateHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DynamoDbClient dynamo = DynamoDbClient.create();
    private final SecretsManagerClient secrets = SecretsManagerClient.create();
    private final String table = System.getenv("KEYS_TABLE");

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        try {
            JsonNode body = MAPPER.readTree(event.getBody());
            String name = body.path("name").asText();
            String accountId = event.getPathParameters().get("accountId");
            String keyId = "key_" + UUID.randomUUID();
            String clientId = "ck_" + token(16);
            String secret = "cs_" + token(30);
            String now = Instant.now().toString();
            String accountPk = "ACCOUNT#" + accountId;
            String secretString = MAPPER.writeValueAsString(Map.of("clientId", clientId, "clientSecret", secret));
            String secretHash = sha256(secret);

            Map<String, AttributeValue> meta = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                    .key(Map.of("pk", s(accountPk), "sk", s("META")))).item();
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("SECRET_NOTE"), "sk", s(accountId + "#" + keyId),
                    "notedAt", s(now))));
            String arn = secrets.createSecret(r -> r.name("keyward/" + accountId + "/" + keyId)
                    .secretString(secretString)).arn();
            dynamo.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(Map.of(
                            "pk", s(accountPk), "sk", s("KEY#" + keyId), "name", s(name), "clientId", s(clientId),
                            "secretArn", s(arn), "createdAt", s(now))).build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(Map.of(
                            "pk", s("CLIENT#" + clientId), "sk", s("CLIENT"), "accountId", s(accountId),
                            "keyId", s(keyId), "secretHash", s(secretHash))).build()).build(),
                    TransactWriteItem.builder().update(Update.builder().tableName(table)
                            .key(Map.of("pk", s(accountPk), "sk", s("META")))
                            .updateExpression("ADD keyCount :one")
                            .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))).build()).build(),
                    TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                            .key(Map.of("pk", s("SECRET_NOTE"), "sk", s(accountId + "#" + keyId))).build()).build()));
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s(accountPk), "sk", s("AUDIT#" + UUID.randomUUID()),
                    "action", s("key.created"), "keyId", s(keyId), "at", s(now))));

            Map<String, Object> key = new LinkedHashMap<>();
            key.put("id", keyId);
            key.put("name", name);
            key.put("clientId", clientId);
            key.put("clientSecret", secret);
            key.put("createdAt", now);
            key.put("keyCount", meta == null ? 0 : meta.size());
            return new APIGatewayProxyResponseEvent().withStatusCode(201)
                    .withHeaders(Map.of("Content-Type", "application/json", "Cache-Control", "no-store"))
                    .withBody(MAPPER.writeValueAsString(key));
        } catch (Exception e) {
            return new APIGatewayProxyResponseEvent().withStatusCode(500).withBody("{\"message\":\"" + e.getClass().getName() + "\"}");
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static String token(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static String sha256(String secret) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    }
}
