package dev.keyward.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The networks a key may be used from: up to {@value #MAX_RANGES} {@link Cidr} ranges, IPv4 and
 * IPv6; none ({@link #ANY}) for any address. The authorizer compares the address API Gateway saw
 * the request come from ({@code requestContext.identity.sourceIp}), never a header the caller
 * writes.
 */
public final class Networks {
    public static final int MAX_RANGES = 20;
    /** No restriction: every address. */
    public static final Networks ANY = new Networks(List.of(), false);

    private final List<Cidr> ranges;
    /** False only for {@link #ANY}: restricted with no ranges admits nothing. */
    private final boolean restricted;

    private Networks(List<Cidr> ranges, boolean restricted) {
        this.ranges = ranges;
        this.restricted = restricted;
    }

    /**
     * The ranges as an admin gives them: CIDRs as {@link Cidr#parse} reads them (repeats, after
     * writing each as it is stored, count once), at most {@value #MAX_RANGES}; null or none for
     * any address. A null element is one that was not a string.
     *
     * @throws KeywardException {@link ErrorCode#INVALID_ALLOWED_CIDRS} naming the first bad one by its position
     */
    public static Networks of(List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            return ANY;
        }
        Map<String, Cidr> ranges = new LinkedHashMap<>(); // by the text it is stored as: repeats once
        for (int i = 0; i < texts.size(); i++) {
            try {
                Cidr range = Cidr.parse(texts.get(i));
                ranges.putIfAbsent(range.toString(), range);
            } catch (IllegalArgumentException e) {
                throw invalid("allowedCidrs[" + i + "] " + e.getMessage() + ".");
            }
        }
        if (ranges.size() > MAX_RANGES) {
            throw invalid("A key may be limited to at most " + MAX_RANGES + " ranges; " + ranges.size() + " were given.");
        }
        return new Networks(List.copyOf(ranges.values()), true);
    }

    /** The ranges as they were stored ({@link #texts}); a range that does not read is skipped. */
    public static Networks stored(List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            return ANY;
        }
        List<Cidr> ranges = new ArrayList<>(texts.size());
        for (String text : texts) {
            try {
                ranges.add(Cidr.parse(text));
            } catch (IllegalArgumentException e) {
                // never written by Keyward; skipping it narrows the key, never widens it
            }
        }
        return new Networks(List.copyOf(ranges), true);
    }

    /** The answer to allowedCidrs that are not a JSON array of strings. */
    public static KeywardException notAList() {
        return invalid("'allowedCidrs' must be a JSON array of CIDR ranges, such as [\"10.0.0.0/8\", \"2001:db8::/32\"], "
                + "or null for any address.");
    }

    private static KeywardException invalid(String detail) {
        return new KeywardException(ErrorCode.INVALID_ALLOWED_CIDRS, detail);
    }

    /** Whether a request from {@code sourceIp} may use the key: always with {@link #ANY}, never from no address. */
    public boolean admits(String sourceIp) {
        if (!restricted) {
            return true;
        }
        byte[] address = Cidr.address(sourceIp);
        for (Cidr range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** True for {@link #ANY}: no range given. */
    public boolean isAny() {
        return !restricted;
    }

    /** The ranges as stored and shown ({@code 10.0.0.0/8}), in the order given; empty for any address. */
    public List<String> texts() {
        return ranges.stream().map(Cidr::toString).toList();
    }

    /** Equal when both restrict the key (or neither does) to the same ranges, in the same order. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Networks networks && restricted == networks.restricted && texts().equals(networks.texts());
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(restricted, texts());
    }
}
