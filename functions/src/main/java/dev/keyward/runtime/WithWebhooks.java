package dev.keyward.runtime;

import dev.keyward.core.DeliveryQueue;
import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyUsage;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.LeakResponder;
import dev.keyward.core.ReportSignatures;
import dev.keyward.core.RouteScopes;
import dev.keyward.core.WebhookPorts;

/**
 * Services already built, and the webhooks' besides, for the local API and the tests.
 *
 * @param queue null where no delivery queue is used
 */
public record WithWebhooks(Services services, WebhookPorts webhookPorts, DeliveryQueue queue) implements Services {
    @Override
    public KeyPorts ports() {
        return services.ports();
    }

    @Override
    public KeyUsage keyUsage() {
        return services.keyUsage();
    }

    @Override
    public LeakResponder leakResponder() {
        return services.leakResponder();
    }

    @Override
    public ReportSignatures scanningKeys() {
        return services.scanningKeys();
    }

    @Override
    public KeyVerifier verifier() {
        return services.verifier();
    }

    @Override
    public RouteScopes routeScopes() {
        return services.routeScopes();
    }

    @Override
    public WebhookPorts webhooks() {
        return webhookPorts;
    }

    @Override
    public DeliveryQueue deliveryQueue() {
        if (queue == null) {
            throw new IllegalStateException("the webhook delivery queue is not configured here");
        }
        return queue;
    }
}
