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
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Webhook endpoints in the keys table, a partition per account of their own
 * ({@code pk=WEBHOOK#{accountId}, sk=ENDPOINT#{endpointId}}), so IAM can confine the webhook
 * functions to these items ({@code dynamodb:LeadingKeys}). The last
 * {@value WebhookEndpoint#RECENT_DELIVERIES} delivery attempts are on the endpoint's item, a list
 * replaced under a version ({@link #recordDelivery}); the signing secret never is.
 */
public final class DynamoWebhookStore extends DynamoAdapter implements WebhookStore {
    private static final String EVENTS = "events";
    static final String RECENT = "recentDeliveries";
    static final String VERSION = "deliveriesVersion";
    /** The one latest delivery, as items held it before the recent ones were kept: read, and removed on the next record. */
    static final List<String> LEGACY_LAST = List.of("lastEventId", "lastEventType", "lastAttemptAt", "lastAttempt",
            "lastOutcome", "lastResponseStatus", "lastError");
    static final int RECORD_ROUNDS = 10;

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

    /**
     * Reads the endpoint's recent deliveries and writes them back with {@code delivery} among them,
     * on condition that no other attempt was recorded meanwhile ({@value #VERSION} is still the one
     * read); when one was, reads again and retries, so attempts recorded at the same time are all
     * kept. Gives up after {@value #RECORD_ROUNDS} rounds: a record is best effort.
     */
    @Override
    public void recordDelivery(String accountId, String endpointId, WebhookEndpoint.Delivery delivery) {
        Map<String, AttributeValue> key = key(accountId, endpointId);
        for (int round = 1; ; round++) {
            Map<String, AttributeValue> item = call(() -> dynamoDb.getItem(g -> g.tableName(table).key(key)
                    .consistentRead(true))).item();
            if (item == null || item.isEmpty()) {
                return; // an endpoint deleted meanwhile stays deleted
            }
            List<WebhookEndpoint.Delivery> recent = recentDeliveries(item);
            List<WebhookEndpoint.Delivery> next = WebhookEndpoint.recorded(recent, delivery);
            if (next.equals(recent) && !item.containsKey(LEGACY_LAST.get(0))) {
                return; // recorded already (a write whose answer was lost), or older than every attempt kept
            }
            AttributeValue version = item.get(VERSION);
            if (conditional(() -> dynamoDb.updateItem(write(key, next, version)))) {
                return;
            }
            if (round >= RECORD_ROUNDS) {
                throw new IllegalStateException("The endpoint's deliveries kept changing; this attempt is not recorded");
            }
            pause(round);
        }
    }

    /** The deliveries replaced, if {@code version} is still the item's; the legacy latest-delivery attributes removed. */
    private UpdateItemRequest write(Map<String, AttributeValue> key, List<WebhookEndpoint.Delivery> deliveries,
                                    AttributeValue version) {
        List<AttributeValue> list = new ArrayList<>();
        deliveries.forEach(d -> list.add(AttributeValue.builder().m(deliveryItem(d)).build()));
        long current = version == null ? 0 : Long.parseLong(version.n());
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":recent", AttributeValue.builder().l(list).build());
        values.put(":next", n(current + 1));
        String condition = "attribute_exists(pk) AND ";
        if (version == null) {
            condition += "attribute_not_exists(" + VERSION + ")";
        } else {
            values.put(":version", version);
            condition += VERSION + " = :version";
        }
        return UpdateItemRequest.builder().tableName(table).key(key)
                .updateExpression("SET " + RECENT + " = :recent, " + VERSION + " = :next REMOVE "
                        + String.join(", ", LEGACY_LAST))
                .conditionExpression(condition)
                .expressionAttributeValues(values)
                .build();
    }

    private static Map<String, AttributeValue> deliveryItem(WebhookEndpoint.Delivery delivery) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("eventId", s(delivery.eventId()));
        item.put("eventType", s(delivery.eventType()));
        item.put("at", s(delivery.at().toString()));
        item.put("attempt", n(delivery.attempt()));
        item.put("outcome", s(delivery.outcome().wireName()));
        if (delivery.responseStatus() != null) {
            item.put("responseStatus", n(delivery.responseStatus()));
        }
        if (delivery.error() != null) {
            item.put("error", s(delivery.error()));
        }
        return item;
    }

    private static WebhookEndpoint.Delivery delivery(Map<String, AttributeValue> item, String eventId, String eventType,
                                                     String at, String attempt, String outcome, String status,
                                                     String error) {
        AttributeValue code = item.get(status);
        return new WebhookEndpoint.Delivery(item.get(eventId).s(), item.get(eventType).s(), Instant.parse(item.get(at).s()),
                Integer.parseInt(item.get(attempt).n()), WebhookEndpoint.Outcome.fromWireName(item.get(outcome).s()),
                code == null ? null : Integer.valueOf(code.n()), optional(item, error));
    }

    /** The recent deliveries, newest first; an item written before they were kept has its one latest delivery. */
    private static List<WebhookEndpoint.Delivery> recentDeliveries(Map<String, AttributeValue> item) {
        List<WebhookEndpoint.Delivery> recent = new ArrayList<>();
        AttributeValue list = item.get(RECENT);
        if (list != null && list.hasL()) {
            for (AttributeValue entry : list.l()) {
                recent.add(delivery(entry.m(), "eventId", "eventType", "at", "attempt", "outcome", "responseStatus",
                        "error"));
            }
        }
        if (item.containsKey(LEGACY_LAST.get(0))) {
            WebhookEndpoint.Delivery legacy = delivery(item, "lastEventId", "lastEventType", "lastAttemptAt",
                    "lastAttempt", "lastOutcome", "lastResponseStatus", "lastError");
            return WebhookEndpoint.recorded(recent, legacy);
        }
        return recent;
    }

    /** Full jitter over a doubling window, 10 ms at first, at most 160 ms. */
    private static void pause(int round) {
        long window = 10L << Math.min(4, round - 1);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(window + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while recording a delivery", e);
        }
    }

    private static WebhookEndpoint toEndpoint(String accountId, Map<String, AttributeValue> item) {
        AttributeValue events = item.get(EVENTS);
        return new WebhookEndpoint(accountId, item.get("endpointId").s(), item.get("url").s(),
                events == null || !events.hasSs() ? new TreeSet<>() : new TreeSet<>(events.ss()),
                Instant.parse(item.get("createdAt").s()), optional(item, "createdBy"), recentDeliveries(item));
    }
}
