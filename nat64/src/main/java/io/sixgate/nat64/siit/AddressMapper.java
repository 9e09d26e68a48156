package io.sixgate.nat64.siit;

import io.sixgate.core.packet.Ipv4Validator;
import io.sixgate.nat64.address.EamTable;
import io.sixgate.nat64.address.Rfc6052Prefix;
import io.sixgate.nat64.address.Rfc6791Pool;

/**
 * Stateless address translation: the EAMT first, then pool6 (RFC 7757 §3.2 and §3.3: "EAM wins
 * over the RFC 6052 prefix"), in both directions, plus the RFC 6791 choice of a source for
 * translated ICMP errors.
 *
 * <p>One instance per stage (per worker): the IPv4 to IPv6 results are left in {@link #high()}
 * and {@link #low()} so that nothing is allocated.
 */
final class AddressMapper implements Mapping64, Mapping46
{
    /** Returned by the IPv6 to IPv4 lookups when the address has no mapping. */
    static final long NO_MAPPING = Mapping64.NO_MAPPING;

    private final Rfc6052Prefix pool6;
    private final EamTable eamt;
    private final Rfc6791Pool rfc6791V4;
    private final Rfc6791Ipv6Pool rfc6791V6;
    private final int localIpv4;
    private final long localIpv6High;
    private final long localIpv6Low;

    private long high;
    private long low;

    AddressMapper(final TranslatorConfig config)
    {
        this.pool6 = config.pool6();
        this.eamt = config.eamt();
        this.rfc6791V4 = config.rfc6791V4();
        this.rfc6791V6 = config.rfc6791V6();
        this.localIpv4 = config.localIpv4();
        this.localIpv6High = config.localIpv6High();
        this.localIpv6Low = config.localIpv6Low();
    }

    /**
     * IPv6 to IPv4 through the EAMT only.
     *
     * @return the IPv4 address (unsigned) or {@link #NO_MAPPING}.
     */
    long eamToIpv4(final long addrHigh, final long addrLow)
    {
        return eamt.translate6to4(addrHigh, addrLow);
    }

    /**
     * IPv6 to IPv4 through pool6 only, with the RFC 6052 §3.1 rule for the well-known prefix.
     *
     * @return the IPv4 address (unsigned) or {@link #NO_MAPPING}.
     */
    long pool6ToIpv4(final long addrHigh, final long addrLow)
    {
        if (pool6 == null || !pool6.matches(addrHigh, addrLow))
        {
            return NO_MAPPING;
        }
        final int ipv4 = pool6.extract(addrHigh, addrLow);
        return pool6.isTranslatable(ipv4) ? ipv4 & 0xFFFF_FFFFL : NO_MAPPING;
    }

    /**
     * IPv6 to IPv4: EAM first, then pool6 (RFC 7757 §3.3).
     *
     * @return the IPv4 address (unsigned) or {@link #NO_MAPPING}.
     */
    long toIpv4(final long addrHigh, final long addrLow)
    {
        final long eam = eamt.translate6to4(addrHigh, addrLow);
        return eam != EamTable.NO_MAPPING ? eam : pool6ToIpv4(addrHigh, addrLow);
    }

    /**
     * IPv4 to IPv6: EAM first, then pool6 (RFC 7757 §3.2). The result is in {@link #high()} and
     * {@link #low()}.
     *
     * @return {@code false} when the address has no mapping.
     */
    boolean toIpv6(final int ipv4)
    {
        final int entry = eamt.findByIpv4(ipv4);
        if (entry != EamTable.NOT_FOUND)
        {
            high = eamt.toIpv6High(entry, ipv4);
            low = eamt.toIpv6Low(entry, ipv4);
            return true;
        }
        return pool6ToIpv6(ipv4);
    }

    /**
     * IPv4 to IPv6 through pool6 only: the source of a hairpinned packet (RFC 7757 §4.2).
     *
     * @return {@code false} when there is no pool6 or RFC 6052 §3.1 forbids the address.
     */
    boolean pool6ToIpv6(final int ipv4)
    {
        if (pool6 == null || !pool6.isTranslatable(ipv4))
        {
            return false;
        }
        high = pool6.high(ipv4);
        low = pool6.low(ipv4);
        return true;
    }

    /**
     * RFC 7757 §4.2: an IPv6 packet must be hairpinned when its destination was translated
     * through pool6 into an address that an EAM claims for the IPv6 side.
     */
    @Override
    public boolean isHairpin(final long dstHigh, final long dstLow, final int dstIpv4)
    {
        return eamt.size() != 0 && eamt.findByIpv6(dstHigh, dstLow) == EamTable.NOT_FOUND && eamt.containsIpv4(dstIpv4);
    }

    /**
     * RFC 6791 §4: the IPv4 source of a translated ICMPv4 error whose IPv6 source has no mapping;
     * the gateway's own address when the pool is empty.
     */
    int rfc6791Ipv4(final long srcHigh, final long srcLow)
    {
        return rfc6791V4.selectFor(srcHigh, srcLow, localIpv4);
    }

    /**
     * The IPv6 source of a translated ICMPv6 error whose IPv4 source has no mapping (RFC 6791
     * applied to IPv6, Jool's {@code rfc6791v6-prefix}); the gateway's own address when the pool
     * is empty. The result is in {@link #high()} and {@link #low()}.
     */
    void rfc6791Ipv6(final int srcIpv4)
    {
        final int hash = Rfc6791Pool.hash(srcIpv4 & 0xFFFF_FFFFL, 0);
        high = rfc6791V6.high(hash, localIpv6High);
        low = rfc6791V6.low(hash, localIpv6Low);
    }

    /**
     * @return bits 0-63 of the last IPv4 to IPv6 result.
     */
    @Override
    public long high()
    {
        return high;
    }

    /**
     * @return bits 64-127 of the last IPv4 to IPv6 result.
     */
    @Override
    public long low()
    {
        return low;
    }

    // ---------------------------------------------------------------- Mapping64 (RFC 7757 §3.3)

    @Override
    public long destination(final long high, final long low)
    {
        final long mapped = toIpv4(high, low);
        // As for 4 to 6: RFC 7915 §1.2, multicast is not mapped by the unicast rule of RFC 6052,
        // and RFC 1812 §5.3.7, 0/8, 127/8 and class E are not forwarded. A pool6 address can embed
        // one (found by fuzzing: a translated packet to 254.51.100.2); it maps to nothing.
        return mapped != NO_MAPPING && !Ipv4Validator.isValidSource((int)mapped) ? NO_MAPPING : mapped;
    }

    @Override
    public long source(final long high, final long low, final boolean icmpError)
    {
        long mapped = toIpv4(high, low);
        // RFC 1812 §5.3.7: a translator is a router, and must not send an IPv4 source that no host
        // may have (0/8, 127/8, multicast, class E, broadcast). A pool6 address can embed one (found
        // by fuzzing: 2001:db8:17f:0:1:: under 2001:db8:100::/40 left as 127.0.0.1); it maps to nothing.
        if (mapped != NO_MAPPING && !Ipv4Validator.isValidSource((int)mapped))
        {
            mapped = NO_MAPPING;
        }
        if (mapped != NO_MAPPING || !icmpError)
        {
            return mapped;
        }
        // RFC 6791 §4 (RFC 7915 §5.1): an address from the pool, or our own.
        return rfc6791Ipv4(high, low) & 0xFFFF_FFFFL;
    }

    @Override
    public long innerSource(final long high, final long low)
    {
        return toIpv4(high, low);
    }

    @Override
    public long innerDestination(final long high, final long low)
    {
        return toIpv4(high, low);
    }

    // ---------------------------------------------------------------- Mapping46 (RFC 7757 §3.2)

    @Override
    public boolean destination(final int dst4)
    {
        return toIpv6(dst4);
    }

    @Override
    public boolean source(final int src4, final boolean icmpError, final boolean hairpin)
    {
        // RFC 7757 §4.2: a hairpinned packet's source goes through pool6, so that the receiver
        // answers to an IPv4-converted address and the answer is hairpinned again.
        if (hairpin ? pool6ToIpv6(src4) : toIpv6(src4))
        {
            return true;
        }
        if (icmpError && !hairpin)
        {
            // RFC 6791 applied to IPv6 (Jool's rfc6791v6): a source for the translated error.
            rfc6791Ipv6(src4);
            return true;
        }
        return false;
    }

    @Override
    public boolean innerSource(final int src4)
    {
        return toIpv6(src4);
    }

    @Override
    public boolean innerDestination(final int dst4, final boolean hairpin)
    {
        // RFC 7757 §4.2, hairpinning: the inner destination is the outer source, so it too goes
        // through pool6 only.
        return hairpin ? pool6ToIpv6(dst4) : toIpv6(dst4);
    }

    // ---------------------------------------------------------------- ports: SIIT keeps them

    @Override
    public int sourcePort(final int port)
    {
        return port;
    }

    @Override
    public int destinationPort(final int port)
    {
        return port;
    }

    @Override
    public int innerSourcePort(final int port)
    {
        return port;
    }

    @Override
    public int innerDestinationPort(final int port)
    {
        return port;
    }
}
