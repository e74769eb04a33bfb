package dev.keyward.core;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Whether an address is one on the public internet, where a webhook may be posted. Everything
 * else is refused: loopback, private (RFC 1918), shared (100.64/10), link-local (the cloud's metadata
 * service is at 169.254.169.254), unique-local (and fd00:ec2::254, its IPv6 address),
 * multicast, documentation, benchmarking and reserved ranges, and IPv6 forms that carry an IPv4
 * address (mapped, compatible, NAT64, 6to4, Teredo), which are judged by that address or refused.
 */
public final class PublicAddresses {
    private PublicAddresses() {
    }

    public static boolean isPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(bytes);
        }
        if (address instanceof Inet6Address) {
            return isPublicV6(bytes);
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        return !(a0 == 0                                  // "this" network
                || a0 == 10                               // private
                || a0 == 100 && (a1 & 0xc0) == 64         // shared address space (carrier-grade NAT)
                || a0 == 127                              // loopback
                || a0 == 169 && a1 == 254                 // link-local, the metadata service
                || a0 == 172 && (a1 & 0xf0) == 16         // private
                || a0 == 192 && a1 == 0 && a2 == 0        // IETF protocol assignments
                || a0 == 192 && a1 == 0 && a2 == 2        // documentation
                || a0 == 192 && a1 == 88 && a2 == 99      // 6to4 relay anycast
                || a0 == 192 && a1 == 168                 // private
                || a0 == 198 && (a1 & 0xfe) == 18         // benchmarking
                || a0 == 198 && a1 == 51 && a2 == 100     // documentation
                || a0 == 203 && a1 == 0 && a2 == 113      // documentation
                || a0 >= 224);                            // multicast, reserved, broadcast
    }

    private static boolean isPublicV6(byte[] b) {
        if (b.length != 16) {
            return false;
        }
        boolean first80Zero = true;
        for (int i = 0; i < 10; i++) {
            first80Zero &= b[i] == 0;
        }
        if (first80Zero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            // IPv4-mapped (::ffff:a.b.c.d): reaches the IPv4 address
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
        }
        if (first80Zero && b[10] == 0 && b[11] == 0) {
            // ::, ::1 and IPv4-compatible (::a.b.c.d, deprecated)
            return false;
        }
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if ((w0 & 0xe000) != 0x2000) {
            // outside global unicast 2000::/3: unique-local fc00::/7, link-local fe80::/10,
            // site-local, multicast ff00::/8, NAT64 64:ff9b::/96, discard 100::/64, ...
            return false;
        }
        return !(w0 == 0x2001 && w1 < 0x0200             // 2001::/23: Teredo, benchmarking, ORCHID, ...
                || w0 == 0x2001 && w1 == 0x0db8          // documentation
                || w0 == 0x2002                          // 6to4: carries an IPv4 address
                || w0 == 0x3fff && (w1 & 0xf000) == 0);  // documentation (3fff::/20)
    }
}
