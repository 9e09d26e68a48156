package io.sixgate.egress;

import java.util.concurrent.TimeUnit;

/**
 * Idle timeouts of egress-only state, each checked against the floor RFC 6092 sets.
 *
 * @param tcpEstablishedNs RFC 6092 §3.3.1: an established TCP flow MUST NOT be given up in less
 *                         than 2 hours 4 minutes of idle time.
 * @param tcpTransitoryNs  RFC 6092 §3.3.1: opening and closing TCP flows, 4 minutes.
 * @param udpNs            RFC 6092 §3.2.3: a UDP flow MUST NOT expire in less than 2 minutes,
 *                         5 minutes RECOMMENDED.
 * @param icmpNs           ICMPv6 echo flows (RFC 6092 §3.2.1 leaves it open; RFC 5508 §3.2 uses 60 s).
 * @param ipsecNs          ESP and AH flows tracked by addresses (RFC 6092 §3.2.4); as UDP.
 */
public record EgressOnlyTimeouts(long tcpEstablishedNs, long tcpTransitoryNs, long udpNs, long icmpNs, long ipsecNs)
{
    public static final long MIN_TCP_ESTABLISHED_NS = TimeUnit.MINUTES.toNanos(124);
    public static final long MIN_TCP_TRANSITORY_NS = TimeUnit.MINUTES.toNanos(4);
    public static final long MIN_UDP_NS = TimeUnit.MINUTES.toNanos(2);
    public static final long DEFAULT_UDP_NS = TimeUnit.MINUTES.toNanos(5);
    public static final long DEFAULT_ICMP_NS = TimeUnit.SECONDS.toNanos(60);

    /** The RFC 6092 defaults. */
    public static final EgressOnlyTimeouts DEFAULTS = new EgressOnlyTimeouts(
        MIN_TCP_ESTABLISHED_NS, MIN_TCP_TRANSITORY_NS, DEFAULT_UDP_NS, DEFAULT_ICMP_NS, DEFAULT_UDP_NS);

    public EgressOnlyTimeouts
    {
        atLeast("tcp-established", tcpEstablishedNs, MIN_TCP_ESTABLISHED_NS);
        atLeast("tcp-transitory", tcpTransitoryNs, MIN_TCP_TRANSITORY_NS);
        atLeast("udp", udpNs, MIN_UDP_NS);
        atLeast("icmp", icmpNs, 1);
        atLeast("ipsec", ipsecNs, MIN_UDP_NS);
    }

    private static void atLeast(final String name, final long valueNs, final long minNs)
    {
        if (valueNs < minNs)
        {
            throw new IllegalArgumentException(name + " timeout must be at least " + minNs / 1_000_000_000L
                + " s (RFC 6092), got " + valueNs / 1_000_000_000L + " s");
        }
    }
}
