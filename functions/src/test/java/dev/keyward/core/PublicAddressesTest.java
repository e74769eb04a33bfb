package dev.keyward.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which addresses a webhook may be posted to: each refused range at its edges, and its neighbours outside. */
class PublicAddressesTest {
    @ParameterizedTest(name = "{0} public: {1}")
    @CsvSource({
        "8.8.8.8, true", "1.1.1.1, true", "223.255.255.255, true",
        "0.0.0.0, false", "0.255.255.255, false", "1.0.0.0, true",
        "10.0.0.1, false", "10.255.255.255, false", "9.255.255.255, true", "11.0.0.0, true",
        "100.64.0.0, false", "100.127.255.255, false", "100.63.255.255, true", "100.128.0.0, true",
        "127.0.0.1, false", "127.255.255.255, false", "126.255.255.255, true", "128.0.0.0, true",
        "169.254.169.254, false", "169.254.0.0, false", "169.253.255.255, true", "169.255.0.0, true", "168.254.0.1, true",
        "172.16.0.0, false", "172.31.255.255, false", "172.15.255.255, true", "172.32.0.0, true", "171.16.0.1, true",
        "192.0.0.8, false", "192.0.1.0, true", "191.0.0.1, true", "192.1.0.1, true",
        "192.0.2.1, false", "192.0.3.1, true",
        "192.88.99.1, false", "192.88.98.1, true", "192.88.100.1, true", "192.89.99.1, true",
        "192.168.0.1, false", "192.169.0.1, true", "192.167.0.1, true", "193.168.0.1, true",
        "198.18.0.1, false", "198.19.255.255, false", "198.17.255.255, true", "198.20.0.0, true", "199.18.0.1, true",
        "198.51.100.1, false", "198.51.101.1, true", "198.52.100.1, true", "197.51.100.1, true",
        "203.0.113.1, false", "203.0.114.1, true", "203.1.113.1, true", "204.0.113.1, true",
        "224.0.0.1, false", "239.255.255.250, false", "240.0.0.1, false", "255.255.255.255, false",
        // IPv6
        "2606:4700:4700::1111, true", "2a00:1450:4001::200e, true", "2000::1, true", "3fff:ffff::1, true",
        "::, false", "::1, false", "::8.8.8.8, false",
        "::ffff:8.8.8.8, true", "::ffff:10.0.0.1, false", "::ffff:169.254.169.254, false", "::ffff:127.0.0.1, false",
        "0:0:0:0:1:ffff:808:808, false", "1:0:0:0:0:ffff:808:808, false", "::fffe:808:808, false", "::feff:808:808, false",
        "fc00::1, false", "fd00:ec2::254, false", "fe80::1, false", "ff02::1, false", "64:ff9b::808:808, false",
        "100::1, false", "1fff:ffff::1, false", "4000::1, false",
        "2001::1, false", "2001:1ff:ffff::1, false", "2001:200::1, true", "2001:db8::1, false",
        "2001:db9::1, true", "2001:db7::1, true",
        "2002:808:808::1, false", "2003::1, true",
        "3fff::1, false", "3fff:fff:ffff::1, false", "3fff:1000::1, true", "3ffe::1, true",
    })
    void judges_each_address(String literal, boolean expected) throws UnknownHostException {
        // a literal: no name is looked up
        assertEquals(expected, PublicAddresses.isPublic(InetAddress.getByName(literal)));
    }

    /** InetAddress.getByName makes an IPv4 address of ::ffff:a.b.c.d; an Inet6Address of that form is judged by it too. */
    @ParameterizedTest(name = "::ffff:{0} as IPv6 public: {1}")
    @CsvSource({"8.8.8.8, true", "10.0.0.1, false", "169.254.169.254, false", "127.0.0.1, false"})
    void judges_an_ipv4_mapped_ipv6_address_by_its_ipv4_address(String v4, boolean expected) throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName(v4).getAddress(), 0, bytes, 12, 4);
        assertEquals(expected, PublicAddresses.isPublic(Inet6Address.getByAddress(null, bytes, -1)));
        bytes[9] = 1;
        assertEquals(false, PublicAddresses.isPublic(Inet6Address.getByAddress(null, bytes, -1)));
    }
}
