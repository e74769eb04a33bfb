package dev.keyward.memory;

import dev.keyward.core.WebhookEndpoint;
import dev.keyward.core.WebhookStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The accounts' webhook endpoints in memory, with DynamoWebhookStore's conditions: an id is
 * inserted once, an account's endpoints are listed in the order of their ids (oldest first), and
 * a delivery is recorded only on an endpoint that still exists, among its recent ones.
 */
public class MemoryWebhookStore implements WebhookStore {
    /** accountId, then endpoint id. */
    protected final Map<String, TreeMap<String, WebhookEndpoint>> endpoints = new ConcurrentHashMap<>();

    @Override
    public synchronized boolean insert(WebhookEndpoint endpoint) {
        return endpoints.computeIfAbsent(endpoint.accountId(), account -> new TreeMap<>())
                .putIfAbsent(endpoint.id(), endpoint) == null;
    }

    @Override
    public synchronized Optional<WebhookEndpoint> find(String accountId, String endpointId) {
        return Optional.ofNullable(endpoints.getOrDefault(accountId, new TreeMap<>()).get(endpointId));
    }

    @Override
    public synchronized List<WebhookEndpoint> list(String accountId) {
        return new ArrayList<>(endpoints.getOrDefault(accountId, new TreeMap<>()).values());
    }

    @Override
    public synchronized boolean delete(String accountId, String endpointId) {
        TreeMap<String, WebhookEndpoint> account = endpoints.get(accountId);
        return account != null && account.remove(endpointId) != null;
    }

    @Override
    public synchronized void recordDelivery(String accountId, String endpointId, WebhookEndpoint.Delivery delivery) {
        TreeMap<String, WebhookEndpoint> account = endpoints.get(accountId);
        if (account == null) {
            return;
        }
        account.computeIfPresent(endpointId, (id, e) -> e.withDelivery(delivery));
    }
}
