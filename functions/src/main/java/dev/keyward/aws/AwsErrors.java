package dev.keyward.aws;

import dev.keyward.core.DependencyUnavailableException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns AWS failures the caller can wait out into {@link DependencyUnavailableException}. */
final class AwsErrors {
    private AwsErrors() {
    }

    static RuntimeException translate(String dependency, SdkException e) {
        if (e instanceof SdkClientException) {
            return new DependencyUnavailableException(dependency, e);
        }
        if (e instanceof AwsServiceException service
                && (service.isThrottlingException() || service.statusCode() >= 500)) {
            return new DependencyUnavailableException(dependency, e);
        }
        return e;
    }
}
