package dev.keyward.core;

import java.util.List;
import java.util.Optional;

/** Where the accounts' webhook endpoints and their recent deliveries are kept. */
public interface WebhookStore {
    /** Saves a new endpoint; false when one with its id exists already. */
    boolean insert(WebhookEndpoint endpoint);

    Optional<WebhookEndpoint> find(String accountId, String endpointId);

    /** The account's endpoints, oldest first. */
    List<WebhookEndpoint> list(String accountId);

    /** Deletes the endpoint; false when there was none. */
    boolean delete(String accountId, String endpointId);

    /**
     * Records a delivery attempt among the endpoint's recent ones ({@link WebhookEndpoint#recorded}),
     * if it still exists. Attempts recorded at the same time are all kept.
     */
    void recordDelivery(String accountId, String endpointId, WebhookEndpoint.Delivery delivery);
}
