package dev.keyward.aws;

import static dev.keyward.aws.Items.keyOf;
import static dev.keyward.aws.Items.n;
import static dev.keyward.aws.Items.optional;
import static dev.keyward.aws.Items.s;

import dev.keyward.core.WebhookEndpoint;
import dev.keyward.core.WebhookStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Webhook endpoints in the keys table, a partition per account of their own
 * ({@code pk=WEBHOOK#{accountId}, sk=ENDPOINT#{endpointId}}), so IAM can confine the webhook
 * functions to these items ({@code dynamodb:LeadingKeys}). The latest delivery attempt is on the
 * endpoint's item; the signing secret never is.
 */
public final class DynamoWebhookStore extends DynamoAdapter implements WebhookStore {
    private static final String EVENTS = "events";

    public DynamoWebhookStore(DynamoDbClient dynamoDb, String table) {
        super(dynamoDb, table);
    }

    static String webhookPk(String accountId) {
        return Items.WEBHOOK_PREFIX + accountId;
    }

    private static Map<String, AttributeValue> key(String accountId, String endpointId) {
        return keyOf(webhookPk(accountId), Items.ENDPOINT_PREFIX + endpointId);
    }

    @Override
    public boolean insert(WebhookEndpoint endpoint) {
        Map<String, AttributeValue> item = new HashMap<>(key(endpoint.accountId(), endpoint.id()));
        item.put("endpointId", s(endpoint.id()));
        item.put("url", s(endpoint.url()));
        item.put(EVENTS, AttributeValue.builder().ss(endpoint.events()).build());
        item.put("createdAt", s(endpoint.createdAt().toString()));
        if (endpoint.createdBy() != null) {
            item.put("createdBy", s(endpoint.createdBy()));
        }
        return conditional(() -> dynamoDb.putItem(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)")));
    }

    @Override
    public Optional<WebhookEndpoint> find(String accountId, String endpointId) {
        Map<String, AttributeValue> item = call(() -> dynamoDb.getItem(g -> g.tableName(table)
                .key(key(accountId, endpointId)).consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toEndpoint(accountId, item));
    }

    @Override
    public List<WebhookEndpoint> list(String accountId) {
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = call(() -> dynamoDb.query(q -> q.tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :sk)")
                    .expressionAttributeValues(Map.of(":pk", s(webhookPk(accountId)), ":sk", s(Items.ENDPOINT_PREFIX)))
                    .exclusiveStartKey(from)));
            for (Map<String, AttributeValue> item : page.items()) {
                endpoints.add(toEndpoint(accountId, item));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return endpoints;
    }

    @Override
    public boolean delete(String accountId, String endpointId) {
        Map<String, AttributeValue> old = call(() -> dynamoDb.deleteItem(d -> d.tableName(table)
                .key(key(accountId, endpointId)).returnValues(ReturnValue.ALL_OLD))).attributes();
        return old != null && !old.isEmpty();
    }

    @Override
    public void recordDelivery(String accountId, String endpointId, WebhookEndpoint.Delivery delivery) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":event", s(delivery.eventId()));
        values.put(":type", s(delivery.eventType()));
        values.put(":at", s(delivery.at().toString()));
        values.put(":attempt", n(delivery.attempt()));
        values.put(":outcome", s(delivery.outcome().wireName()));
        StringBuilder update = new StringBuilder("SET lastEventId = :event, lastEventType = :type, lastAttemptAt = :at, "
                + "lastAttempt = :attempt, lastOutcome = :outcome");
        List<String> removed = new ArrayList<>();
        if (delivery.responseStatus() != null) {
            values.put(":status", n(delivery.responseStatus()));
            update.append(", lastResponseStatus = :status");
        } else {
            removed.add("lastResponseStatus");
        }
        if (delivery.error() != null) {
            values.put(":error", s(delivery.error()));
            update.append(", lastError = :error");
        } else {
            removed.add("lastError");
        }
        if (!removed.isEmpty()) {
            update.append(" REMOVE ").append(String.join(", ", removed));
        }
        // an endpoint deleted meanwhile stays deleted
        conditional(() -> dynamoDb.updateItem(u -> u.tableName(table).key(key(accountId, endpointId))
                .updateExpression(update.toString())
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(values)));
    }

    private static WebhookEndpoint toEndpoint(String accountId, Map<String, AttributeValue> item) {
        WebhookEndpoint.Delivery last = null;
        if (item.containsKey("lastEventId")) {
            AttributeValue status = item.get("lastResponseStatus");
            last = new WebhookEndpoint.Delivery(item.get("lastEventId").s(), item.get("lastEventType").s(),
                    Instant.parse(item.get("lastAttemptAt").s()), Integer.parseInt(item.get("lastAttempt").n()),
                    WebhookEndpoint.Outcome.fromWireName(item.get("lastOutcome").s()),
                    status == null ? null : Integer.valueOf(status.n()), optional(item, "lastError"));
        }
        AttributeValue events = item.get(EVENTS);
        return new WebhookEndpoint(accountId, item.get("endpointId").s(), item.get("url").s(),
                events == null || !events.hasSs() ? new TreeSet<>() : new TreeSet<>(events.ss()),
                Instant.parse(item.get("createdAt").s()), optional(item, "createdBy"), last);
    }
}
