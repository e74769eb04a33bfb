package dev.keyward.runtime;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/**
 * One deployed function as data: its route, its handler built over {@link Services}, and how it
 * is primed before a SnapStart snapshot. Lambda, the local API and the tests build handlers from
 * the same declaration.
 */
public interface Deployed {
    /** The short name its priming logs under (create, get, authorizer). */
    String function();

    /** Its HTTP method, or null for the authorizer. */
    String method();

    /** Its resource path as openapi.yaml writes it, or null for the authorizer. */
    String path();

    /** Its handler over {@code services}, asking them only for what it takes. */
    RequestStreamHandler over(Services services);

    /** How it is primed, or null when it is not. */
    PrimingPlan priming();
}
