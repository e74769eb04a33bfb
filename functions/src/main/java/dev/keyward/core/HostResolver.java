package dev.keyward.core;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a host name into the addresses a connection to it would reach (DNS, on AWS). */
@FunctionalInterface
public interface HostResolver {
    InetAddress[] resolve(String host) throws UnknownHostException;

    /** The JVM's resolver: the one the HTTP client connects with. */
    HostResolver SYSTEM = InetAddress::getAllByName;
}
