package dev.keyward.runtime;

import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyUsage;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.LeakResponder;
import dev.keyward.core.ReportSignatures;
import dev.keyward.core.RouteScopes;

/**
 * Services already built, for the local API and the tests. One left null fails only the handler
 * that asks for it, so a gateway for some routes can be built without the others'.
 */
public record Wiring(KeyPorts ports, KeyUsage keyUsage, LeakResponder leakResponder, ReportSignatures scanningKeys,
                     KeyVerifier verifier, RouteScopes routeScopes) implements Services {

    /** The key use cases' ports and nothing else. */
    public static Wiring of(KeyPorts ports) {
        return new Wiring(ports, null, null, null, null, null);
    }

    public Wiring withVerifier(KeyVerifier verifier, RouteScopes routeScopes) {
        return new Wiring(ports, keyUsage, leakResponder, scanningKeys, verifier, routeScopes);
    }

    @Override
    public KeyPorts ports() {
        return given(ports, "the key use cases' ports");
    }

    @Override
    public KeyUsage keyUsage() {
        return given(keyUsage, "key usage");
    }

    @Override
    public LeakResponder leakResponder() {
        return given(leakResponder, "the leak responder");
    }

    @Override
    public ReportSignatures scanningKeys() {
        return given(scanningKeys, "the secret scanners' keys");
    }

    @Override
    public KeyVerifier verifier() {
        return given(verifier, "the verifier");
    }

    @Override
    public RouteScopes routeScopes() {
        return given(routeScopes, "the route scopes");
    }

    private static <T> T given(T service, String what) {
        if (service == null) {
            throw new IllegalStateException(what + " is not configured here");
        }
        return service;
    }
}
