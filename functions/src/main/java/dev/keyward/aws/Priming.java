package dev.keyward.aws;

import dev.keyward.core.EventLog;
import dev.keyward.core.KeyService;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * With SnapStart, makes one cheap read before the snapshot is taken, so the SDK's marshalling,
 * signing and HTTP paths are loaded and compiled in the snapshot rather than on the first
 * request after a restore. It must never fail the snapshot: a failed read is only logged.
 */
final class Priming implements Resource {
    static final String ACCOUNT = "keyward-priming";

    private final KeyService service;
    private final EventLog log;

    Priming(KeyService service, EventLog log) {
        this.service = service;
        this.log = log;
    }

    /** Registers priming with the runtime; without SnapStart the hook is simply never called. */
    static void register(KeyService service, EventLog log) {
        Core.getGlobalContext().register(new Priming(service, log));
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: clients hold no connection state worth keeping across a restore
    }

    /** @return true when the read went through */
    boolean prime() {
        try {
            service.list(ACCOUNT, 1, null);
            log.info("primed", null, null);
            return true;
        } catch (RuntimeException e) {
            log.warn("priming_failed", null, null, e);
            return false;
        }
    }
}
