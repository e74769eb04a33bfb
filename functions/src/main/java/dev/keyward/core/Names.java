package dev.keyward.core;

/** Key names: what an admin types so they remember what the key is for. */
public final class Names {
    public static final int MAX_LENGTH = 100;

    private Names() {
    }

    /**
     * The name as stored: trimmed, 1 to 100 characters (code points), no control characters.
     *
     * @throws KeywardException {@link ErrorCode#INVALID_NAME} otherwise
     */
    public static String normalize(String raw) {
        if (raw == null) {
            throw invalid("A name is required.");
        }
        String name = raw.strip();
        if (name.isEmpty()) {
            throw invalid("The name must not be empty or blank.");
        }
        int length = name.codePointCount(0, name.length());
        if (length > MAX_LENGTH) {
            throw invalid("The name is " + length + " characters long; at most " + MAX_LENGTH + " are allowed.");
        }
        if (name.codePoints().anyMatch(Names::isControl)) {
            throw invalid("The name must not contain control characters such as line breaks or tabs.");
        }
        return name;
    }

    private static boolean isControl(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT && cp != 0x200D
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.UNASSIGNED || type == Character.SURROGATE;
    }

    private static KeywardException invalid(String detail) {
        return new KeywardException(ErrorCode.INVALID_NAME, detail);
    }
}
