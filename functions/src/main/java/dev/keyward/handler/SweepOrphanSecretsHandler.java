package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.keyward.aws.Keyward;
import dev.keyward.core.KeyService;
import java.time.Duration;
import java.util.Map;

/** Runs on a schedule: destroys secrets that belong to no key (see {@link KeyService#sweepOrphanSecrets}). */
public final class SweepOrphanSecretsHandler implements RequestHandler<ScheduledEvent, Map<String, Integer>> {
    /** Far longer than any create takes between storing the secret and saving the key. */
    static final Duration MIN_AGE = Duration.ofMinutes(15);

    private final KeyService keys;

    public SweepOrphanSecretsHandler() {
        this(Keyward.service());
    }

    public SweepOrphanSecretsHandler(KeyService keys) {
        this.keys = keys;
    }

    @Override
    public Map<String, Integer> handleRequest(ScheduledEvent event, Context context) {
        return Map.of("destroyed", keys.sweepOrphanSecrets(MIN_AGE));
    }
}
