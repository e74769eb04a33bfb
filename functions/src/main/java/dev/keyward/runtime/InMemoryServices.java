package dev.keyward.runtime;

import dev.keyward.core.KeyPorts;
import dev.keyward.core.KeyUsage;
import dev.keyward.core.KeyVerifier;
import dev.keyward.core.LeakResponder;
import dev.keyward.core.ReportSignatures;
import dev.keyward.core.RouteScopes;
import java.util.List;
import java.util.Map;

/**
 * For priming the paths AWS cannot walk without data: the key use cases' ports and a verifier
 * answering from memory ({@link PrimingPorts}) for one key that exists only here. Functions that
 * are not primed this way get nothing.
 */
final class InMemoryServices implements Services {
    /** The route the authorizer's priming event asks for, open to every key. */
    private static final RouteScopes ROUTES = RouteScopes.of(Map.of(RouteScopes.EVERY_KEY, List.of("GET /whoami")));

    private final PrimingPorts ports = new PrimingPorts();

    /** An Authorization header the verifier allows. */
    String allowedAuthorization() {
        return ports.allowedAuthorization();
    }

    @Override
    public KeyPorts ports() {
        return ports.keyPorts();
    }

    @Override
    public KeyVerifier verifier() {
        return ports.verifier();
    }

    @Override
    public RouteScopes routeScopes() {
        return ROUTES;
    }

    @Override
    public KeyUsage keyUsage() {
        throw new UnsupportedOperationException("usage is not primed from memory");
    }

    @Override
    public LeakResponder leakResponder() {
        throw new UnsupportedOperationException("leak reports are not primed from memory");
    }

    @Override
    public ReportSignatures scanningKeys() {
        throw new UnsupportedOperationException("leak reports are not primed from memory");
    }
}
