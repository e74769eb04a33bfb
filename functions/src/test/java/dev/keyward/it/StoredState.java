package dev.keyward.it;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;

/**
 * What is stored for one account, read straight from DynamoDB and Secrets Manager: every item of
 * the table and every secret under {@code keyward/{accountId}/} with its versions, in a stable
 * order, so two snapshots are equal exactly when nothing was written in between.
 */
public record StoredState(List<String> items, List<String> secrets) {

    public static StoredState read(DynamoDbClient dynamoDb, SecretsManagerClient secretsManager, String table,
                                   String accountId) {
        List<String> items = new ArrayList<>();
        dynamoDb.scanPaginator(r -> r.tableName(table).consistentRead(true)).items()
                .forEach(item -> items.add(new TreeMap<>(item).toString()));
        items.sort(null);
        List<String> secrets = new ArrayList<>();
        secretsManager.listSecretsPaginator(r -> r.includePlannedDeletion(true)
                        .filters(f -> f.key(FilterNameStringType.NAME).values("keyward/" + accountId + "/")))
                .stream().flatMap(page -> page.secretList().stream()).forEach(secret -> secrets.add(secret.name() + " "
                        + new TreeMap<>(secret.secretVersionsToStages()) + (secret.deletedDate() == null ? "" : " deleted")));
        secrets.sort(null);
        return new StoredState(List.copyOf(items), List.copyOf(secrets));
    }
}
