package dev.keyward.core;

/**
 * AWS gave no answer, or an answer that does not say whether the write was applied (a timeout
 * after sending, a 5xx). The caller reads state to decide; when it cannot, it answers 503 like
 * any other {@link DependencyUnavailableException}.
 */
public final class OutcomeUnknownException extends DependencyUnavailableException {
    public OutcomeUnknownException(String dependency, Throwable cause) {
        super(dependency, cause);
    }
}
