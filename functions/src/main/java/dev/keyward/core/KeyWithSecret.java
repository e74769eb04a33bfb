package dev.keyward.core;

/** A key together with its Client Secret: what create and the "Edit" view answer. */
public record KeyWithSecret(ApiKey key, String clientSecret) {
    @Override
    public String toString() {
        return "KeyWithSecret[key=" + key + ", clientSecret=<redacted>]";
    }
}
