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
 * What a function's handler is built over. Each is built when first asked for, so a function
 * pays at start-up only for what its handler takes: the authorizer never builds the key use
 * cases' ports, nor anything of Secrets Manager.
 */
public interface Services {
    /** The key use cases' ports. */
    KeyPorts ports();

    KeyUsage keyUsage();

    /** What answers secret-scanning reports. */
    LeakResponder leakResponder();

    /** The secret scanners' public keys, which sign their reports. */
    ReportSignatures scanningKeys();

    /** The authorizer's check of a key's credentials. */
    KeyVerifier verifier();

    /** The routes each scope opens. */
    RouteScopes routeScopes();

    /** The webhook use cases' ports. */
    default WebhookPorts webhooks() {
        throw new IllegalStateException("webhooks are not configured here");
    }

    /** The webhook delivery queue. */
    default DeliveryQueue deliveryQueue() {
        throw new IllegalStateException("the webhook delivery queue is not configured here");
    }
}
