package dev.keyward.core;

/**
 * AWS throttled us, reported a conflict that outlasted our retries, or could not be reached;
 * the caller may retry after {@link #retryAfterSeconds()}. Unless it is an
 * {@link OutcomeUnknownException}, the failed write was not applied.
 */
public class DependencyUnavailableException extends KeywardException {
    private final String dependency;

    public DependencyUnavailableException(String dependency, Throwable cause) {
        super(ErrorCode.DEPENDENCY_UNAVAILABLE, dependency + " is busy or unreachable; retry shortly.", cause, 1);
        this.dependency = dependency;
    }

    /** Which AWS service failed ("DynamoDB", "Secrets Manager"). */
    public String dependency() {
        return dependency;
    }
}
