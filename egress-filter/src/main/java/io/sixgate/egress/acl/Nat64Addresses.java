package io.sixgate.egress.acl;

/**
 * What stateful NAT64 makes of addresses, as the VPC filters need it to see an IPv6 client of an
 * IPv4 instance before translation (RFC 6146 §3.5.1: the IPv4 destination is the address embedded
 * in pool6, here after the IPv6 EIP binding). Implemented over the worker's NAT64 state; called
 * on the worker thread, must not allocate.
 */
public interface Nat64Addresses
{
    /** {@link #ipv4Behind}: the destination is not translated. */
    long NOT_TRANSLATED = -1L;

    /** No NAT64 in the gateway. */
    Nat64Addresses NONE = new Nat64Addresses()
    {
        @Override
        public long ipv4Behind(final long dstHigh, final long dstLow)
        {
            return NOT_TRANSLATED;
        }

        @Override
        public boolean isPool4(final int address)
        {
            return false;
        }
    };

    /**
     * @return the IPv4 address an IPv6 destination stands for once translated (an IPv6 EIP gives
     * its instance's private address), as an unsigned value, or {@link #NOT_TRANSLATED}.
     */
    long ipv4Behind(long dstHigh, long dstLow);

    /**
     * @return whether an IPv4 destination is one of NAT64's pool4 addresses: the packet is for an
     * IPv6 client and passes only on a NAT64 session or binding (RFC 6146 §3.5.1.2, §3.5.2.2).
     */
    boolean isPool4(int address);
}
