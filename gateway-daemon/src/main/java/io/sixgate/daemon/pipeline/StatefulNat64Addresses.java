package io.sixgate.daemon.pipeline;

import io.sixgate.egress.acl.Nat64Addresses;
import io.sixgate.nat64.address.Rfc6052Prefix;
import io.sixgate.nat64.state.Pool4;
import io.sixgate.nat64.stateful.Nat64Shard;

/**
 * The VPC filters' view of one worker's stateful NAT64: an IPv6 destination under pool6 stands
 * for the IPv4 address embedded in it (RFC 6052 §2.3), an IPv6 EIP for its instance's private
 * address ({@link io.sixgate.nat64.stateful.EipTable}, read per packet, so bindings the admin API
 * changes apply at once). No allocation.
 */
final class StatefulNat64Addresses implements Nat64Addresses
{
    private final Nat64Shard shard;
    private final Rfc6052Prefix pool6;
    private final Pool4 pool4;

    StatefulNat64Addresses(final Nat64Shard shard)
    {
        this.shard = shard;
        this.pool6 = shard.pool6();
        this.pool4 = shard.pool4();
    }

    @Override
    public long ipv4Behind(final long dstHigh, final long dstLow)
    {
        if (!pool6.matches(dstHigh, dstLow))
        {
            return NOT_TRANSLATED;
        }
        return shard.eip().toPrivate(pool6.extract(dstHigh, dstLow)) & 0xFFFF_FFFFL;
    }

    @Override
    public boolean isPool4(final int address)
    {
        return pool4.contains(address);
    }
}
