package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.aws.Keyward;
import dev.keyward.core.KeyService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Runs on a schedule: destroys secrets that belong to no key (see {@link KeyService#sweepOrphanSecrets})
 * and answers {@code {"destroyed": n}}. The scheduled event itself carries nothing it needs.
 */
public final class SweepOrphanSecretsHandler implements RequestStreamHandler {
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
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        int destroyed = keys.sweepOrphanSecrets(MIN_AGE);
        output.write(("{\"destroyed\":" + destroyed + "}").getBytes(StandardCharsets.UTF_8));
    }
}
