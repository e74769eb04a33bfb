package dev.keyward.core;

/**
 * The answer for one reported token: {@code true_positive} when it is (or was) a Keyward secret,
 * {@code false_positive} when it is not.
 */
public record LeakFeedback(String tokenRaw, String tokenType, Label label) {

    public enum Label {
        TRUE_POSITIVE("true_positive"),
        FALSE_POSITIVE("false_positive");

        private final String wireName;

        Label(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    @Override
    public String toString() {
        return "LeakFeedback[type=" + tokenType + ", label=" + label + ", token=<redacted>]";
    }
}
