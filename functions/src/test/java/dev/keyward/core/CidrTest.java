package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CIDR ranges: what is read, what is refused, and, over many random addresses and ranges from fixed
 * seeds, that containment is exactly a comparison of the first prefix bits (checked against
 * BigInteger arithmetic) and that addresses read as the JDK reads their literals.
 */
class CidrTest {
    private static final int ROUNDS = 20_000;

    private static boolean in(String range, String address) {
        return Cidr.parse(range).contains(Cidr.address(address));
    }

    @Test
    void aRange_shouldHoldExactlyTheAddressesThatShareItsPrefix() {
        assertTrue(in("10.0.0.0/8", "10.0.0.0"));
        assertTrue(in("10.0.0.0/8", "10.255.255.255"));
        assertFalse(in("10.0.0.0/8", "11.0.0.0"));
        assertFalse(in("10.0.0.0/8", "9.255.255.255"));
        assertFalse(in("10.0.0.0/8", "127.0.0.1"));
        assertTrue(in("192.168.4.0/22", "192.168.7.200"));
        assertFalse(in("192.168.4.0/22", "192.168.8.0"));
        assertTrue(in("0.0.0.0/0", "255.255.255.255"));
        assertTrue(in("203.0.113.7/32", "203.0.113.7"));
        assertFalse(in("203.0.113.7/32", "203.0.113.6"));
        assertTrue(in("2001:db8::/32", "2001:db8:ffff::1"));
        assertFalse(in("2001:db8::/32", "2001:db9::1"));
        assertTrue(in("::/0", "::1"));
        assertTrue(in("2001:db8::1/128", "2001:DB8:0:0:0:0:0:1"));
    }

    @Test
    void ipv4AndIpv6_shouldNeverMatchEachOther_exceptIpv4MappedAddresses() {
        assertFalse(in("::/0", "10.1.2.3"), "an IPv6 range holds no IPv4 client");
        assertFalse(in("0.0.0.0/0", "2001:db8::1"), "an IPv4 range holds no IPv6 client");
        assertTrue(in("10.0.0.0/8", "::ffff:10.1.2.3"), "an IPv4-mapped client is its IPv4 address");
        assertTrue(in("10.0.0.0/8", "::FFFF:0a01:0203"), "in hex too");
        assertTrue(in("10.0.0.0/8", "0:0:0:0:0:ffff:10.1.2.3"));
        assertFalse(in("10.0.0.0/8", "::ffff:11.1.2.3"));
        assertFalse(in("::/0", "::ffff:10.1.2.3"), "mapped: IPv4, so no IPv6 range holds it");
        assertTrue(in("::ffff:10.0.0.0/104", "10.200.0.1"), "a mapped range is the IPv4 range");
        assertEquals("10.0.0.0/8", Cidr.parse("::ffff:10.0.0.0/104").toString());
        assertEquals("10.1.2.3/32", Cidr.parse("::ffff:10.1.2.3").toString());
        assertFalse(in("::1.2.3.4/128", "1.2.3.4"), "IPv4-compatible (deprecated) is plain IPv6");
    }

    @Test
    void anAddressAlone_shouldBeTheRangeOfThatAddress_writtenWithItsPrefix() {
        assertEquals("203.0.113.7/32", Cidr.parse("203.0.113.7").toString());
        assertEquals("2001:db8::1/128", Cidr.parse("2001:0DB8:0000::0001").toString());
        assertEquals("10.0.0.0/8", Cidr.parse("  10.0.0.0/8 ").toString(), "surrounding spaces are ignored");
    }

    @Test
    void ipv6_shouldBeWrittenAsRfc5952Does() {
        assertEquals("2001:db8::/32", Cidr.parse("2001:DB8:0:0:0:0:0:0/32").toString());
        assertEquals("::/0", Cidr.parse("0:0:0:0:0:0:0:0/0").toString());
        assertEquals("::1/128", Cidr.parse("0:0:0:0:0:0:0:1").toString());
        assertEquals("1::/16", Cidr.parse("1:0:0:0:0:0:0:0/16").toString());
        assertEquals("2001:db8:0:1:1:1:1:1/128", Cidr.parse("2001:db8:0:1:1:1:1:1").toString(), "one zero group stays");
        assertEquals("2001:0:0:1::1/128", Cidr.parse("2001:0:0:1:0:0:0:1").toString(), "the longer run is compressed");
        assertEquals("2001::1:0:0:1/128", Cidr.parse("2001:0:0:0:1:0:0:1").toString());
        assertEquals("2001:db8::1:0:0:1/128", Cidr.parse("2001:db8:0:0:1:0:0:1").toString(), "the first of equal runs");
        assertEquals("::102:304/128", Cidr.parse("::1.2.3.4").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "10.0.0", "10.0.0.0.0", "256.0.0.0", "10.0.0.-1", "010.0.0.0", "10.00.0.0",
            "1e1.0.0.0", "0x0a.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/08", "10.0.0.0/8/8",
            "10.0.0.0 /8", "2001:db8::/129", "::1::", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2:3:4:5:6:7:8",
            ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "12345::", "g::", "fe80::1%eth0", "fe80::1%1", "[::1]", "[::1]/128",
            "::ffff:1.2.3", "::ffff:1.2.3.256", "1.2.3.4::", "::1.2.3.4:5", "example.com", "localhost",
            "\uff11.\uff12.\uff13.\uff14", "\u0661.2.3.4", "2001:db8::\u0661", "::ffff:0:0/95"})
    void aMalformedRange_shouldBeRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text), text);
    }

    @Test
    void aRangeWithBitsSetAfterItsPrefix_shouldBeRefused_namingItsFirstAddress() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.1.2.3/8"));
        assertTrue(e.getMessage().contains("10.0.0.0/8"), e.getMessage());
        assertTrue(e.getMessage().contains("/32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("2001:db8::1/32"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::ffff:10.1.0.0/104"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("0.0.0.1/0"));
        assertEquals("10.1.2.3/32", Cidr.parse("10.1.2.3/32").toString());
    }

    @Test
    void anAddressWithFfffInItsSeventhGroup_shouldBeIpv4MappedOnlyWhenEveryGroupBeforeIsZero() {
        assertEquals(4, Cidr.address("::ffff:10.1.2.3").length);
        assertEquals(16, Cidr.address("1::ffff:10.1.2.3").length);
        assertEquals(16, Cidr.address("0:0:0:0:1:ffff:a01:203").length);
        assertFalse(in("10.0.0.0/8", "1::ffff:10.1.2.3"));
        assertFalse(in("10.0.0.0/8", "0:0:0:0:1:ffff:a01:203"));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, Cidr.address("::1"));
        assertArrayEquals(new byte[] {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, Cidr.address("1::"));
        assertArrayEquals(new byte[] {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}, Cidr.address("1::2"));
    }

    @Test
    void aMappedRangeWithBitsSetAfterItsPrefix_shouldBeNamedWithThePrefixAsWritten() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::ffff:10.1.0.0/104"));
        assertTrue(e.getMessage().startsWith("has bits set after its /104 prefix"), e.getMessage());
        assertTrue(e.getMessage().contains("(10.0.0.0/8)"), e.getMessage());
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.1.0.0/8"));
        assertTrue(plain.getMessage().startsWith("has bits set after its /8 prefix"), plain.getMessage());
    }

    @Test
    void address_shouldBeNullForWhatIsNoAddress() {
        for (String text : new String[] {null, "", "10.0.0.0/8", "example.com", "10.1.2", "fe80::1%eth0"}) {
            assertNull(Cidr.address(text), text);
        }
        assertFalse(Cidr.parse("0.0.0.0/0").contains(null), "no address is in no range");
        assertFalse(Cidr.parse("::/0").contains(null));
    }

    // --- properties, over random addresses and ranges from fixed seeds ---

    @Test
    void containment_shouldBeExactlyAComparisonOfTheFirstPrefixBits() {
        Random random = new Random(20261127);
        for (int round = 0; round < ROUNDS; round++) {
            int length = random.nextBoolean() ? 4 : 16;
            byte[] network = bytes(random, length);
            int prefix = random.nextInt(length * 8 + 1);
            Cidr range = Cidr.parse(text(masked(network, prefix)) + "/" + prefix);
            // half of the addresses share the network's first bits, so both answers come up often
            byte[] address = random.nextBoolean() ? withTail(network, prefix, random) : bytes(random, length);
            if (length == 16 && isMapped(address)) {
                continue; // read as IPv4: the next property covers them
            }
            boolean expected = prefix == 0 || new BigInteger(1, address).shiftRight(length * 8 - prefix)
                    .equals(new BigInteger(1, network).shiftRight(length * 8 - prefix));
            assertEquals(expected, range.contains(Cidr.address(text(address))),
                    "round " + round + ": " + range + " holds " + text(address) + "?");
        }
    }

    @Test
    void anIpv4MappedAddress_shouldMatchExactlyAsItsIpv4Address() {
        Random random = new Random(42);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] network = bytes(random, 4);
            int prefix = random.nextInt(33);
            Cidr range = Cidr.parse(text(masked(network, prefix)) + "/" + prefix);
            Cidr mappedRange = Cidr.parse("::ffff:" + text(masked(network, prefix)) + "/" + (prefix + 96));
            byte[] address = random.nextBoolean() ? withTail(network, prefix, random) : bytes(random, 4);
            boolean plain = range.contains(Cidr.address(text(address)));
            String hex = String.format("::ffff:%x:%x", (address[0] & 0xFF) << 8 | (address[1] & 0xFF),
                    (address[2] & 0xFF) << 8 | (address[3] & 0xFF));
            assertEquals(plain, range.contains(Cidr.address("::ffff:" + text(address))), "round " + round);
            assertEquals(plain, range.contains(Cidr.address(hex)), "round " + round + " " + hex);
            assertEquals(plain, mappedRange.contains(Cidr.address(text(address))), "round " + round);
            assertEquals(range.toString(), mappedRange.toString());
        }
    }

    @Test
    void anyWayOfWritingAnAddress_shouldReadAsTheJdkReadsItsLiteral() throws UnknownHostException {
        Random random = new Random(7);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] address = bytes(random, random.nextInt(4) == 0 ? 4 : 16);
            if (address.length == 16 && random.nextInt(3) == 0) {
                // runs of zero groups, at the start and the end too
                int from = 2 * random.nextInt(8);
                Arrays.fill(address, from, from + 2 * (1 + random.nextInt((16 - from) / 2)), (byte) 0);
            }
            String written = spelling(address, random);
            byte[] expected = InetAddress.getByName(written).getAddress(); // a literal: no lookup
            assertArrayEquals(expected, Cidr.address(written), "round " + round + ": " + written);
            if (!isMapped(address)) {
                String canonical = Cidr.parse(written).toString();
                assertEquals(canonical, Cidr.parse(canonical).toString(), "written as stored, it reads the same");
                assertArrayEquals(expected, Cidr.address(canonical.substring(0, canonical.indexOf('/'))));
            }
        }
    }

    @Test
    void randomText_shouldBeEitherARangeOrRefused_neverAnythingElse() {
        Random random = new Random(99);
        String alphabet = "0123456789abcdefABCDEF:./%[] x-";
        for (int round = 0; round < ROUNDS; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(20);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                Cidr range = Cidr.parse(text.toString());
                assertEquals(range.toString(), Cidr.parse(range.toString()).toString(), "round " + round + ": " + text);
            } catch (IllegalArgumentException refused) {
                // a reason an admin can read, never an exception of another kind
                assertFalse(refused.getMessage().isBlank());
            }
        }
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] masked(byte[] address, int prefix) {
        BigInteger value = new BigInteger(1, address);
        int bits = address.length * 8;
        BigInteger mask = prefix == 0 ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(bits - prefix).shiftLeft(bits - prefix);
        return toBytes(value.and(mask), address.length);
    }

    /** The network's first {@code prefix} bits, then random ones. */
    private static byte[] withTail(byte[] network, int prefix, Random random) {
        int bits = network.length * 8;
        BigInteger head = new BigInteger(1, masked(network, prefix));
        BigInteger tail = prefix == bits ? BigInteger.ZERO : new BigInteger(bits - prefix, random);
        return toBytes(head.or(tail), network.length);
    }

    private static byte[] toBytes(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
        return bytes;
    }

    private static boolean isMapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
    }

    /** The address in its plain form: dotted IPv4, or eight full hex groups. */
    private static String text(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "." + (address[3] & 0xFF);
        }
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 16; i += 2) {
            groups.add(Integer.toHexString((address[i] & 0xFF) << 8 | (address[i + 1] & 0xFF)));
        }
        return String.join(":", groups);
    }

    /** One of the ways RFC 4291 allows to write the address: case, leading zeros, "::", a dotted tail. */
    private static String spelling(byte[] address, Random random) {
        if (address.length == 4) {
            return text(address);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xFF) << 8 | (address[2 * i + 1] & 0xFF);
        }
        boolean dotted = random.nextInt(4) == 0;
        int count = dotted ? 6 : 8;
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String hex = Integer.toHexString(groups[i]);
            if (random.nextInt(4) == 0) {
                hex = "0".repeat(4 - hex.length()) + hex;
            }
            parts.add(random.nextBoolean() ? hex.toUpperCase(Locale.ROOT) : hex);
        }
        // "::" in place of one run of zero groups, when there is one
        int start = -1;
        int end = -1;
        for (int i = 0; i < count; i++) {
            if (groups[i] == 0) {
                int j = i;
                while (j < count && groups[j] == 0) {
                    j++;
                }
                if (random.nextBoolean() || start < 0) {
                    start = i;
                    end = j;
                }
                i = j;
            }
        }
        String tail = dotted ? (address[12] & 0xFF) + "." + (address[13] & 0xFF) + "." + (address[14] & 0xFF) + "."
                + (address[15] & 0xFF) : null;
        String written;
        if (start >= 0 && random.nextBoolean()) {
            String head = String.join(":", parts.subList(0, start));
            String rest = String.join(":", parts.subList(end, count));
            if (tail != null) {
                rest = rest.isEmpty() ? tail : rest + ":" + tail;
            }
            written = head + "::" + rest;
        } else {
            written = String.join(":", parts) + (tail != null ? ":" + tail : "");
        }
        return written;
    }
}
