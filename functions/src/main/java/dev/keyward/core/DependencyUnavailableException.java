package dev.keyward.core;

/** AWS throttled us or could not be reached; the caller may retry after {@link #retryAfterSeconds()}. */
public final class DependencyUnavailableException extends KeywardException {
    private final String dependency;
    private final int retryAfterSeconds;

    public DependencyUnavailableException(String dependency, Throwable cause) {
        super(ErrorCode.DEPENDENCY_UNAVAILABLE,
                dependency + " is busy or unreachable; retry shortly.", cause);
        this.dependency = dependency;
        this.retryAfterSeconds = 1;
    }

    /** Which AWS service failed ("DynamoDB", "Secrets Manager"). */
    public String dependency() {
        return dependency;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
