package dev.keyward.local;

import dev.keyward.core.WebhookEndpoint;
import dev.keyward.core.WebhookStore;
import java.util.List;
import java.util.Optional;

/** A webhook store that hands every call to another; a subclass changes only the calls it overrides. */
abstract class ForwardingWebhookStore implements WebhookStore {
    private final WebhookStore store;

    ForwardingWebhookStore(WebhookStore store) {
        this.store = store;
    }

    @Override
    public boolean insert(WebhookEndpoint endpoint) {
        return store.insert(endpoint);
    }

    @Override
    public Optional<WebhookEndpoint> find(String accountId, String endpointId) {
        return store.find(accountId, endpointId);
    }

    @Override
    public List<WebhookEndpoint> list(String accountId) {
        return store.list(accountId);
    }

    @Override
    public boolean delete(String accountId, String endpointId) {
        return store.delete(accountId, endpointId);
    }

    @Override
    public void recordDelivery(String accountId, String endpointId, WebhookEndpoint.Delivery delivery) {
        store.recordDelivery(accountId, endpointId, delivery);
    }
}
