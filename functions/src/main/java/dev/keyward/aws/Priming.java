package dev.keyward.aws;

import dev.keyward.core.DependencyUnavailableException;
import dev.keyward.core.EventLog;
import dev.keyward.core.KeyService;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * With SnapStart, makes one cheap read before the snapshot is taken, so the SDK's marshalling,
 * signing and HTTP paths are loaded and compiled in the snapshot rather than on the first
 * request after a restore. It must never fail the snapshot: a failed read is only logged.
 *
 * <p>The read is a GetItem for a key that does not exist. A function whose role may not make it
 * (the list function may only Query) still gets an answer from AWS, access denied, and so has
 * walked the same path; only no answer at all counts as a failed priming.
 */
final class Priming implements Resource {
    static final String ACCOUNT = "keyward-priming";
    static final String KEY = "key_00000000000000000000000000";

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
            service.get(ACCOUNT, KEY, null);
        } catch (DependencyUnavailableException noAnswer) {
            log.warn("priming_failed", null, null, noAnswer);
            return false;
        } catch (RuntimeException answered) {
            // not found, or access denied: either way AWS answered
        }
        log.info("primed", null, null);
        return true;
    }
}
