package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.aws.Keyward;
import dev.keyward.aws.SecretsManagerVault;
import dev.keyward.core.Credentials;
import dev.keyward.core.KeyVerifier;
import dev.keyward.it.AwsEnvironment.Aws;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/**
 * What must hold for an account whatever happened before, read directly from the emulator: every
 * key item has its client item and a readable secret (one the authorizer accepts); every
 * {@code keyward/} secret belongs to a key or to a secret note; the key count equals the number of
 * key items; no client item outlives its key, and a deleted key is refused by the authorizer.
 */
public final class Invariants {
    private Invariants() {
    }

    /** A key's credentials, to check that a deleted key stays refused. */
    public record Deleted(String clientId, String clientSecret) {
    }

    /** Checks every invariant of {@code accountId}; {@code deleted} are keys answered 204 before. */
    public static void check(Aws aws, String accountId, List<Deleted> deleted) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        aws.clients().dynamoDb().scanPaginator(s -> s.tableName(aws.settings().tableName()).consistentRead(true))
                .items().forEach(items::add);
        String accountPk = "ACCOUNT#" + accountId;
        Map<String, Map<String, AttributeValue>> keys = new HashMap<>();
        Map<String, Map<String, AttributeValue>> clients = new HashMap<>();
        Set<String> notes = new HashSet<>();
        long keyCount = 0;
        for (Map<String, AttributeValue> item : items) {
            String pk = item.get("pk").s();
            String sk = item.get("sk").s();
            if (pk.equals(accountPk) && sk.startsWith("KEY#")) {
                keys.put(sk.substring("KEY#".length()), item);
            } else if (pk.equals(accountPk) && sk.equals("META")) {
                keyCount = Long.parseLong(item.get("keyCount").n());
            } else if (pk.startsWith("CLIENT#") && accountId.equals(item.get("accountId").s())) {
                clients.put(pk.substring("CLIENT#".length()), item);
            } else if (pk.equals("SECRET_NOTE") && sk.startsWith(accountId + "#")) {
                notes.add(sk.substring(accountId.length() + 1));
            }
        }

        assertEquals(keys.size(), keyCount, accountId + ": the key count equals the number of key items");
        for (Map.Entry<String, Map<String, AttributeValue>> key : keys.entrySet()) {
            String keyId = key.getKey();
            String clientId = key.getValue().get("clientId").s();
            Map<String, AttributeValue> client = clients.get(clientId);
            assertNotNull(client, keyId + " has its client item");
            assertEquals(keyId, client.get("keyId").s(), clientId + " names its key");
            String secret = readSecret(aws, key.getValue().get("secretArn").s());
            assertNotNull(secret, keyId + " has a readable secret");
            assertTrue(accepted(client).contains(Credentials.hash(secret)),
                    keyId + ": the secret Secrets Manager hands out is one the authorizer accepts");
        }
        for (Map<String, AttributeValue> client : clients.values()) {
            assertTrue(keys.containsKey(client.get("keyId").s()),
                    client.get("pk").s() + " belongs to a key that exists: no deleted key comes back");
        }
        String prefix = SecretsManagerVault.secretName(accountId, "");
        for (String name : secretNames(aws, accountId)) {
            String keyId = name.substring(prefix.length());
            assertTrue(keys.containsKey(keyId) || notes.contains(keyId), name + " belongs to a key or to a secret note");
        }
        KeyVerifier verifier = Keyward.verifier(aws.settings(), aws.clients(), Clock.systemUTC());
        for (Deleted key : deleted) {
            assertFalse(verifier.verify(Events.basic(key.clientId(), key.clientSecret())).allowed(),
                    key.clientId() + " was deleted and must be refused");
        }
    }

    /** The names of the account's secrets in Secrets Manager that are not deleted. */
    public static List<String> secretNames(Aws aws, String accountId) {
        String prefix = SecretsManagerVault.secretName(accountId, "");
        return aws.clients().secretsManager()
                .listSecretsPaginator(l -> l.filters(f -> f.key(FilterNameStringType.NAME).values(prefix))).stream()
                .flatMap(page -> page.secretList().stream())
                .filter(secret -> secret.name().startsWith(prefix) && secret.deletedDate() == null)
                .map(SecretListEntry::name)
                .toList();
    }

    private static Set<String> accepted(Map<String, AttributeValue> client) {
        Set<String> hashes = new HashSet<>();
        hashes.add(client.get("secretHash").s());
        AttributeValue others = client.get("otherHashes");
        if (others != null && others.hasM()) {
            long now = System.currentTimeMillis();
            // N = when the grace period ends in epoch millis, 0 = no end yet
            others.m().forEach((hash, until) -> {
                long end = Long.parseLong(until.n());
                if (end == 0 || end > now) {
                    hashes.add(hash);
                }
            });
        }
        return hashes;
    }

    private static String readSecret(Aws aws, String arn) {
        try {
            String json = aws.clients().secretsManager().getSecretValue(g -> g.secretId(arn)).secretString();
            Object secret = JSON.std.mapFrom(json).get("clientSecret");
            return secret == null ? null : secret.toString();
        } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException
                 | software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException gone) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
