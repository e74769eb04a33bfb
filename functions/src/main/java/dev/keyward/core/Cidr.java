package dev.keyward.core;

import java.util.Arrays;

/**
 * One range of IP addresses in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), read
 * strictly and compared bit by bit, without any name lookup.
 *
 * <p>What it reads: an IPv4 address as four decimal numbers 0 to 255 without leading zeros (so
 * {@code 010.0.0.1}, octal to some tools, is refused rather than guessed); an IPv6 address as RFC
 * 4291 writes it (one to four hex digits per group, at most one {@code ::}, the last 32 bits
 * optionally as an IPv4 address), without a zone ({@code %eth0}) or brackets; then {@code /} and a
 * prefix length, 0 to 32 or 0 to 128, in decimal without leading zeros. An address alone is the
 * range of that one address. A range whose address has bits set after its prefix
 * ({@code 10.1.2.3/8}) is refused: it is most likely a typo for a single address or for another
 * range, and guessing which would open a key to addresses its admin did not mean.
 *
 * <p>An IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}) is the IPv4 address it maps, both as a
 * client's address and in a range ({@code ::ffff:10.0.0.0/104} is {@code 10.0.0.0/8}), so a
 * client is matched the same whichever way its address reached the API. Other IPv6 ranges match
 * IPv6 addresses only, and IPv4 ranges IPv4 addresses only.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * The range {@code text} writes (surrounding spaces ignored).
     *
     * @throws IllegalArgumentException saying, in words an admin can act on, what is wrong
     */
    public static Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("is not a string");
        }
        String[] parts = text.strip().split("/", -1);
        byte[] bytes = parts.length > 2 ? null : address(parts[0]);
        if (bytes == null) {
            throw new IllegalArgumentException("is not an IPv4 or IPv6 address with an optional /prefix");
        }
        boolean mapped = bytes.length == 4 && parts[0].contains(":");
        int bits = mapped ? 128 : bytes.length * 8;
        int length = bits;
        if (parts.length == 2) {
            length = prefixLength(parts[1], bits);
            if (length < 0) {
                throw new IllegalArgumentException("has a prefix length that is not a whole number from 0 to " + bits);
            }
        }
        if (mapped) {
            if (length < 96) {
                throw new IllegalArgumentException("is an IPv4-mapped range with a prefix shorter than 96: write the "
                        + "IPv6 range with its leading zeros, or the IPv4 range");
            }
            length -= 96;
        }
        Cidr cidr = new Cidr(bytes, length);
        if (!Arrays.equals(bytes, cidr.masked(bytes))) {
            throw new IllegalArgumentException("has bits set after its /" + (mapped ? length + 96 : length)
                    + " prefix: the range is written with its first address (" + new Cidr(cidr.masked(bytes), length)
                    + "), a single address with /" + bytes.length * 8);
        }
        return cidr;
    }

    /** Whether {@code address} (as {@link #address(String)} reads it) is in this range. */
    public boolean contains(byte[] address) {
        return address != null && address.length == network.length && Arrays.equals(network, masked(address));
    }

    /** {@code address} with every bit after this range's prefix cleared. */
    private byte[] masked(byte[] address) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int kept = Math.min(8, Math.max(0, prefix - 8 * i));
            masked[i] &= (byte) (0xFF << (8 - kept));
        }
        return masked;
    }

    /**
     * The 4 bytes of an IPv4 address (an IPv4-mapped IPv6 address included) or the 16 of an IPv6
     * address, or null when {@code text} is not one as this class reads them.
     */
    public static byte[] address(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        byte[] bytes = text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
        if (bytes != null && bytes.length == 16 && isMappedIpv4(bytes)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    private static boolean isMappedIpv4(byte[] ipv6) {
        for (int i = 0; i < 10; i++) {
            if (ipv6[i] != 0) {
                return false;
            }
        }
        return ipv6[10] == (byte) 0xFF && ipv6[11] == (byte) 0xFF;
    }

    /** A decimal 0 to {@code max} without leading zeros, or -1. */
    private static int prefixLength(String text, int max) {
        if (text.isEmpty() || text.length() > 3 || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= max ? value : -1;
    }

    private static byte[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = prefixLength(parts[i], 255);
            if (value < 0) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    private static byte[] ipv6(String text) {
        int gap = text.indexOf("::");
        if (gap < 0) {
            int[] groups = groups(text, true);
            return groups == null || groups.length != 8 ? null : bytes(groups, new int[0]);
        }
        // a second "::" (":::" included) leaves an empty group in the tail, which groups() refuses
        int[] before = groups(text.substring(0, gap), false);
        int[] after = groups(text.substring(gap + 2), true);
        if (before == null || after == null || before.length + after.length > 7) {
            return null; // "::" stands for one zero group at least
        }
        return bytes(before, after);
    }

    /** The 16 bytes of the groups {@code before} "::", zeros, then the groups {@code after} it. */
    private static byte[] bytes(int[] before, int[] after) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < before.length; i++) {
            bytes[2 * i] = (byte) (before[i] >> 8);
            bytes[2 * i + 1] = (byte) before[i];
        }
        for (int i = 0; i < after.length; i++) {
            int at = 8 - after.length + i;
            bytes[2 * at] = (byte) (after[i] >> 8);
            bytes[2 * at + 1] = (byte) after[i];
        }
        return bytes;
    }

    /**
     * The 16-bit groups of one side of an IPv6 address ("" has none); the last group may be an
     * IPv4 address, two groups, when {@code ipv4Last} (it ends the address).
     */
    private static int[] groups(String side, boolean ipv4Last) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        int[] groups = new int[parts.length + 1];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && ipv4Last && part.contains(".")) {
                byte[] ipv4 = ipv4(part);
                if (ipv4 == null) {
                    return null;
                }
                groups[n++] = (ipv4[0] & 0xFF) << 8 | (ipv4[1] & 0xFF);
                groups[n++] = (ipv4[2] & 0xFF) << 8 | (ipv4[3] & 0xFF);
                continue;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                int digit = Character.digit(part.charAt(j), 16);
                if (digit < 0 || part.charAt(j) > 'f') {
                    return null; // not a hex digit (Character.digit also reads non-ASCII digits)
                }
                value = value << 4 | digit;
            }
            groups[n++] = value;
        }
        return Arrays.copyOf(groups, n);
    }

    /** The range as stored and shown: IPv4 dotted, IPv6 as RFC 5952 writes it, always with its prefix. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (network.length == 4) {
            for (int i = 0; i < 4; i++) {
                text.append(i == 0 ? "" : ".").append(network[i] & 0xFF);
            }
        } else {
            int[] groups = new int[8];
            for (int i = 0; i < 8; i++) {
                groups[i] = (network[2 * i] & 0xFF) << 8 | (network[2 * i + 1] & 0xFF);
            }
            // the longest run of two or more zero groups (the first of equal ones) becomes "::"
            int bestStart = -1;
            int bestLength = 1;
            int run = 0;
            for (int i = 0; i < 8; i++) {
                run = groups[i] == 0 ? run + 1 : 0;
                if (run > bestLength) {
                    bestLength = run;
                    bestStart = i - run + 1;
                }
            }
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    text.append("::");
                    i += bestLength - 1;
                    continue;
                }
                if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                    text.append(':');
                }
                text.append(Integer.toHexString(groups[i]));
            }
        }
        return text.append('/').append(prefix).toString();
    }
}
