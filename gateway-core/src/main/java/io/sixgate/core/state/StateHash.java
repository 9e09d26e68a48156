package io.sixgate.core.state;

/**
 * Keyed hashing of packed keys into 32 bits for the state tables' indexes.
 *
 * <p>Each 64-bit word of the key is folded into the state with the MurmurHash3 64-bit finaliser,
 * starting from a secret seed, so the hash of a 5-tuple is not predictable by a remote host that
 * does not know the seed: it cannot aim many flows at one probe cluster. The finaliser is not a
 * cryptographic PRF (SipHash would be, at about three times the cost); against a party that sees
 * only its own traffic's treatment this is the usual trade-off for packet-rate tables.
 */
public final class StateHash
{
    private StateHash()
    {
    }

    /**
     * @param seed  secret per index and protocol.
     * @param word0 first key word.
     * @return 32 well-mixed bits.
     */
    public static int hash(final long seed, final long word0)
    {
        return (int)(mix(seed ^ word0) >>> 32);
    }

    public static int hash(final long seed, final long word0, final long word1)
    {
        return (int)(mix(mix(seed ^ word0) ^ word1) >>> 32);
    }

    public static int hash(final long seed, final long word0, final long word1, final long word2)
    {
        return (int)(mix(mix(mix(seed ^ word0) ^ word1) ^ word2) >>> 32);
    }

    /**
     * Derive an independent seed: the same input always gives the same output.
     */
    public static long derive(final long seed, final long salt)
    {
        return mix(mix(seed) ^ (salt * 0x9E37_79B9_7F4A_7C15L));
    }

    /**
     * The MurmurHash3 fmix64 finaliser: a bijection with full avalanche.
     */
    public static long mix(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return h;
    }
}
