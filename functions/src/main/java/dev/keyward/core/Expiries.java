package dev.keyward.core;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Key expiry times: RFC 3339 in UTC, at least {@link #MIN_AHEAD} and at most
 * {@value #MAX_YEARS_AHEAD} years ahead. Kept in whole seconds: the key is refused from the
 * start of that second on, so a fraction of a second only ever makes it expire earlier.
 */
public final class Expiries {
    public static final Duration MIN_AHEAD = Duration.ofSeconds(60);
    public static final int MAX_YEARS_AHEAD = 3;
    /** RFC 3339 date-time (seconds required), with a UTC offset: Z, or +00:00 / -00:00. */
    private static final Pattern RFC_3339_UTC = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]00:00)");
    private static final Pattern RFC_3339_OFFSET = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?[+-]\\d{2}:\\d{2}");

    private Expiries() {
    }

    /**
     * A new expiry, checked against {@code now}.
     *
     * @throws KeywardException {@link ErrorCode#INVALID_EXPIRES_AT} when it is not in that format,
     *                          not in UTC, or out of range
     */
    public static Instant parse(String text, Instant now) {
        Instant at = parseFormat(text);
        requireInRange(at, now);
        return at;
    }

    /**
     * An expiry's text, checked for its format only: what a request asked for, whenever it is
     * read. A replay of a stored request compares this, never the range, which moves with time.
     *
     * @throws KeywardException {@link ErrorCode#INVALID_EXPIRES_AT} when it is not in that format
     *                          or not in UTC
     */
    public static Instant parseFormat(String text) {
        if (text == null) {
            throw notATimestamp();
        }
        if (!RFC_3339_UTC.matcher(text).matches()) {
            throw invalid(RFC_3339_OFFSET.matcher(text).matches()
                    ? "'expiresAt' must be in UTC: end it with Z, such as \"2027-01-31T00:00:00Z\"."
                    : "'expiresAt' must be an RFC 3339 timestamp in UTC, such as \"2027-01-31T00:00:00Z\".");
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(text.toUpperCase(Locale.ROOT)).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException e) {
            throw invalid("'expiresAt' is not a valid date and time.");
        }
        return at;
    }

    /** The answer to an expiry that is not a JSON string (nor null, which means never). */
    public static KeywardException notATimestamp() {
        return invalid("'expiresAt' must be an RFC 3339 timestamp in UTC, such as \"2027-01-31T00:00:00Z\", or null for never.");
    }

    /**
     * Checks a new expiry against {@code now}: at least {@link #MIN_AHEAD} and at most
     * {@value #MAX_YEARS_AHEAD} years ahead. Null (never) is always in range.
     */
    public static void requireInRange(Instant at, Instant now) {
        if (at == null) {
            return;
        }
        if (at.isBefore(now.plus(MIN_AHEAD))) {
            throw invalid("'expiresAt' must be at least " + MIN_AHEAD.toSeconds() + " seconds in the future.");
        }
        if (at.isAfter(latest(now))) {
            throw invalid("'expiresAt' must be at most " + MAX_YEARS_AHEAD + " years in the future.");
        }
    }

    static Instant latest(Instant now) {
        return now.atOffset(ZoneOffset.UTC).plusYears(MAX_YEARS_AHEAD).toInstant();
    }

    private static KeywardException invalid(String detail) {
        return new KeywardException(ErrorCode.INVALID_EXPIRES_AT, detail);
    }
}
