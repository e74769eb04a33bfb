package dev.keyward.core;

/**
 * One match a secret scanner reports: the token it found, the pattern's type, where it was found
 * ({@code url}) and what kind of place that is ({@code source}: content, commit, npm...).
 */
public record LeakReport(String token, String type, String url, String source) {
    @Override
    public String toString() {
        return "LeakReport[type=" + type + ", url=" + url + ", source=" + source + ", token=<redacted>]";
    }
}
