package dev.keyward.core;

import java.util.Set;

/** Key names: what an admin types so they remember what the key is for. */
public final class Names {
    public static final int MAX_LENGTH = 100;

    /**
     * Letters and symbols that render as nothing: the Hangul fillers, the braille blank, the
     * combining grapheme joiner and the Khmer inherent vowels. With whitespace, format
     * characters and combining marks they cannot make a name on their own.
     */
    private static final Set<Integer> BLANK_GLYPHS = Set.of(0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x034F,
            0x17B4, 0x17B5);

    private Names() {
    }

    /**
     * The name as stored: trimmed of Unicode whitespace, 1 to 100 characters (code points), at
     * least one of them visible, no control characters.
     *
     * @throws KeywardException {@link ErrorCode#INVALID_NAME} otherwise
     */
    public static String normalize(String raw) {
        if (raw == null) {
            throw invalid("A name is required.");
        }
        String name = trim(raw);
        if (name.codePoints().noneMatch(Names::isVisible)) {
            throw invalid("The name must not be empty or blank.");
        }
        int length = name.codePointCount(0, name.length());
        if (length > MAX_LENGTH) {
            throw invalid("The name is " + length + " characters long; at most " + MAX_LENGTH + " are allowed.");
        }
        if (name.codePoints().anyMatch(Names::isControl)) {
            throw invalid("The name must not contain control characters such as line breaks or tabs.");
        }
        if (name.indexOf('\uFFFD') >= 0) {
            throw invalid("The name holds U+FFFD, the mark of text that was not valid UTF-8; send it as UTF-8.");
        }
        return name;
    }

    /** Unicode whitespace, including the no-break spaces that {@link String#strip()} keeps. */
    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    private static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    private static boolean isVisible(int cp) {
        int type = Character.getType(cp);
        return !isSpace(cp) && !BLANK_GLYPHS.contains(cp)
                && type != Character.FORMAT && type != Character.CONTROL && type != Character.UNASSIGNED
                && type != Character.NON_SPACING_MARK && type != Character.ENCLOSING_MARK
                && type != Character.COMBINING_SPACING_MARK;
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
