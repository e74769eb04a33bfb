package dev.keyward.aws;

import static dev.keyward.aws.Items.NOTE_PK;
import static dev.keyward.aws.Items.n;
import static dev.keyward.aws.Items.noteItem;
import static dev.keyward.aws.Items.noteKey;
import static dev.keyward.aws.Items.s;

import dev.keyward.core.DependencyUnavailableException;
import dev.keyward.core.KeyStore.SecretNote;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Secret notes: a secret that may have no key. They live only while a create or delete is under
 * way, or after one failed half-way, so their one partition stays small; the housekeeping claims
 * one ({@code sweepUntil}) while it destroys its secret.
 */
final class SecretNotes extends DynamoAdapter {

    SecretNotes(DynamoDbClient dynamoDb, String table) {
        super(dynamoDb, table);
    }

    void note(String accountId, String keyId, Instant at) {
        try {
            AwsErrors.retryingConflicts(() -> dynamoDb.putItem(p -> p.tableName(table).item(noteItem(accountId, keyId, at))
                    .conditionExpression("attribute_not_exists(sweepUntil) OR sweepUntil <= :at")
                    .expressionAttributeValues(Map.of(":at", n(at.toEpochMilli())))));
        } catch (ConditionalCheckFailedException swept) {
            // the sweep is destroying this key's secret; once it has, a retry notes anew
            throw new dev.keyward.core.DependencyUnavailableException(DEPENDENCY, swept);
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    boolean claim(SecretNote note, Instant now, Instant until) {
        try {
            AwsErrors.retryingConflicts(() -> dynamoDb.updateItem(u -> u.tableName(table).key(noteKey(note.accountId(), note.keyId()))
                    .updateExpression("SET sweepUntil = :until")
                    .conditionExpression("notedAt = :notedAt AND (attribute_not_exists(sweepUntil) OR sweepUntil <= :now)")
                    .expressionAttributeValues(Map.of(":until", n(until.toEpochMilli()),
                            ":notedAt", n(note.at().toEpochMilli()), ":now", n(now.toEpochMilli())))));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        } catch (SdkException e) {
            throw AwsErrors.translate(DEPENDENCY, e);
        }
    }

    void forget(String accountId, String keyId) {
        call(() -> dynamoDb.deleteItem(d -> d.tableName(table).key(noteKey(accountId, keyId))));
    }

    List<SecretNote> before(Instant before) {
        List<SecretNote> notes = new ArrayList<>();
        call(() -> {
            dynamoDb.queryPaginator(q -> q.tableName(table)
                            .keyConditionExpression("pk = :pk")
                            .filterExpression("notedAt < :before")
                            .expressionAttributeValues(Map.of(":pk", s(NOTE_PK), ":before", n(before.toEpochMilli()))))
                    .items()
                    .forEach(item -> notes.add(new SecretNote(item.get("accountId").s(), item.get("keyId").s(),
                            Instant.ofEpochMilli(Long.parseLong(item.get("notedAt").n())))));
            return notes;
        });
        return notes;
    }
}
