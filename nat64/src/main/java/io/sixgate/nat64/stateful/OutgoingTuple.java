package io.sixgate.nat64.stateful;

import io.sixgate.nat64.address.Rfc6052Prefix;

/**
 * RFC 6146 §3.6, "Computing the Outgoing Tuple": the addresses and ports the translated packet
 * carries, from the session (or BIB entry) that {@link FilteringAndUpdating} found.
 *
 * <pre>
 *  6 to 4:            (X', x) -> (Z', z)   becomes   (T, t) -> (Z, z)
 *  6 to 4, ICMP error: outer T -> Z'' (the error's own destination), inner (Z, z) -> (T, t)
 *  4 to 6:            (Z, z) -> (T, t)     becomes   (Pref64::Z, z) -> (X', x)
 *  4 to 6, ICMP error: outer Pref64::R (the router that sent it) -> X', inner (X', x) -> (Pref64::Z, z)
 * </pre>
 * With IPv6 EIP bindings, Z on the IPv4 side is the instance's private address and the address
 * embedded in pool6 its public one ({@link EipTable}).
 */
final class OutgoingTuple
{
    private final Rfc6052Prefix pool6;
    private final Nat64Shard shard;

    OutgoingTuple(final Nat64Shard shard)
    {
        this.pool6 = shard.pool6();
        this.shard = shard;
    }

    void compute64(final Nat64Xlation x)
    {
        x.outSrc4 = x.pool4Address;
        if (x.icmpError)
        {
            x.outDst4 = x.errorPeer4;
            x.innerSrc4 = x.remote4;
            x.innerSrcPort = x.remotePort;
            x.innerDst4 = x.pool4Address;
            x.innerDstPort = x.pool4Port;
            return;
        }
        x.outDst4 = x.remote4;
        x.outSrcPort = x.pool4Port;
        x.outDstPort = x.remotePort;
    }

    void compute46(final Nat64Xlation x)
    {
        x.outDst6High = x.src6High;
        x.outDst6Low = x.src6Low;
        if (x.icmpError)
        {
            final int router = shard.eip().toPublic(x.errorPeer4);
            x.outSrc6High = pool6.high(router);
            x.outSrc6Low = pool6.low(router);
            final int remote = shard.eip().toPublic(x.remote4);
            x.innerSrc6High = x.src6High;
            x.innerSrc6Low = x.src6Low;
            x.innerSrcPort = x.src6Port;
            x.innerDst6High = pool6.high(remote);
            x.innerDst6Low = pool6.low(remote);
            x.innerDstPort = x.remotePort;
            return;
        }
        final int remote = shard.eip().toPublic(x.remote4);
        x.outSrc6High = pool6.high(remote);
        x.outSrc6Low = pool6.low(remote);
        x.outSrcPort = x.remotePort;
        x.outDstPort = x.src6Port;
    }
}
