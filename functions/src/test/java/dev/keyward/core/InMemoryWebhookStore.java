package dev.keyward.core;

import dev.keyward.memory.MemoryWebhookStore;
import java.util.ArrayList;
import java.util.List;

/** The in-memory {@link WebhookStore}, recording calls and failing on request, for unit tests of the webhook use cases. */
class InMemoryWebhookStore extends MemoryWebhookStore {
    final List<String> calls = new ArrayList<>();
    /** Thrown by the next insert instead of saving. */
    RuntimeException failInsert;
    /** Thrown by the next insert after it saved: its answer was lost. */
    RuntimeException loseInsertAnswer;
    /** Answered by the next insert instead of saving (an id taken already). */
    boolean refuseInsert;
    RuntimeException failRecord;

    @Override
    public boolean insert(WebhookEndpoint endpoint) {
        calls.add("insert " + endpoint.id());
        if (failInsert != null) {
            RuntimeException e = failInsert;
            failInsert = null;
            throw e;
        }
        if (refuseInsert) {
            refuseInsert = false;
            return false;
        }
        boolean inserted = super.insert(endpoint);
        if (loseInsertAnswer != null) {
            RuntimeException e = loseInsertAnswer;
            loseInsertAnswer = null;
            throw e;
        }
        return inserted;
    }

    @Override
    public boolean delete(String accountId, String endpointId) {
        calls.add("delete " + endpointId);
        return super.delete(accountId, endpointId);
    }

    @Override
    public void recordDelivery(String accountId, String endpointId, WebhookEndpoint.Delivery delivery) {
        if (failRecord != null) {
            throw failRecord;
        }
        super.recordDelivery(accountId, endpointId, delivery);
    }
}
