package dev.keyward.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.runtime.Keyward;
import dev.keyward.runtime.Services;
import dev.keyward.core.ErrorCode;
import dev.keyward.core.KeywardException;
import dev.keyward.core.LeakResponder;
import dev.keyward.core.ReportSignatures;
import dev.keyward.http.Api;
import dev.keyward.http.LeakReportsJson;
import dev.keyward.http.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code POST /secret-scanning/reports}: a secret scanner (GitHub's partner programme) reports
 * Keyward secrets it found in public. No IAM here: the body must carry the scanner's ECDSA
 * signature, checked before anything else is read; then 200 with one label per token.
 */
public final class ReportLeakedSecretsHandler implements RequestStreamHandler {
    /** 1,000 entries of a few hundred bytes each fit well within this. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final String KEY_ID_HEADER = "Github-Public-Key-Identifier";
    static final String SIGNATURE_HEADER = "Github-Public-Key-Signature";

    private final LeakResponder leaks;
    private final ReportSignatures signatures;

    /** The function Lambda builds. */
    public ReportLeakedSecretsHandler() {
        this(Keyward.start(Functions.REPORT_LEAKED_SECRETS));
    }

    private ReportLeakedSecretsHandler(Services services) {
        this(services.leakResponder(), services.scanningKeys());
    }

    public ReportLeakedSecretsHandler(LeakResponder leaks, ReportSignatures signatures) {
        this.leaks = leaks;
        this.signatures = signatures;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Api.serve(input, output, context, "POST", request -> {
            byte[] body = request.rawBody(MAX_BODY_BYTES);
            if (!signatures.verify(request.header(KEY_ID_HEADER), request.header(SIGNATURE_HEADER), body)) {
                throw new KeywardException(ErrorCode.INVALID_REPORT_SIGNATURE, "The report must be signed by a "
                        + "configured secret-scanning key (" + KEY_ID_HEADER + " and " + SIGNATURE_HEADER + ").");
            }
            return Responses.json(200, LeakReportsJson.feedback(leaks.respond(LeakReportsJson.parse(body))));
        });
    }
}
