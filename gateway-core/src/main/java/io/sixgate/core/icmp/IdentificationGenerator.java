package io.sixgate.core.icmp;

/**
 * IPv4 Identification values for the packets the translator creates or leaves without one:
 * RFC 7915 §5.1 says "set according to a Fragment Identification algorithm at the translator".
 * A xorshift sequence rather than a counter, so that the values are not predictable from one
 * another (RFC 7739 §5.1 explains the attacks on predictable identifiers); one generator per
 * worker, no allocation, no locking.
 */
public final class IdentificationGenerator
{
    private int state;

    /**
     * @param seed any value; zero is replaced (xorshift never leaves zero).
     */
    public IdentificationGenerator(final int seed)
    {
        this.state = seed == 0 ? 0x2545_F491 : seed;
    }

    /**
     * @return the next 16-bit identification.
     */
    public int next()
    {
        int x = state;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        state = x;
        return (x ^ (x >>> 16)) & 0xFFFF;
    }
}
