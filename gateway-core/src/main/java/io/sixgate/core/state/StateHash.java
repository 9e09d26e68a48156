package io.sixgate.core.state;

/**
 * Keyed hashing of packed keys into 32 bits for the state tables' indexes.
 *
 * <p>Each 64-bit word of the key goes through the MurmurHash3 64-bit finaliser with a secret,
 * so the hash of a 5-tuple is not predictable by a remote host that does not know the secrets: it
 * cannot aim many flows at one probe cluster. {@link #hash} chains the words through one seed;
 * {@link #index}, the per-packet lookups' hash, gives each word its own secret and adds the
 * results, so the finalisers run in parallel. The finaliser is not a cryptographic PRF (SipHash
 * would be, at about three times the cost); against a party that sees only its own traffic's
 * treatment this is the usual trade-off for packet-rate tables.
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
     * The secrets of {@link #index}: one per word of a key, each derived from the table's seed.
     * Config time (allocates).
     *
     * @param seed  the table's secret, e.g. one per index and protocol.
     * @param words how many words its keys have.
     */
    public static long[] indexKeys(final long seed, final int words)
    {
        final long[] keys = new long[words];
        for (int i = 0; i < words; i++)
        {
            keys[i] = derive(seed, 0x1DE0 + i);
        }
        return keys;
    }

    /**
     * A keyed hash for the open-addressing indexes, at about half the latency of {@link #hash}
     * for three words and a third for five: each word goes through the finaliser with its own
     * secret ({@link #indexKeys}) and the results are added, so the finalisers run side by side
     * instead of each waiting for the one before. A remote host that does not know the secrets
     * can no more predict the sum than the chain; keys that differ in one word only never have
     * the same 64-bit sum, the finaliser being a bijection. (Pool4's port choice stays on {@link #hash}:
     * tests and captures pin its results.)
     *
     * @param keys  at least two secrets from {@link #indexKeys}.
     * @return 32 well-mixed bits.
     */
    public static int index(final long[] keys, final long word0, final long word1)
    {
        return (int)((mix(keys[0] ^ word0) + mix(keys[1] ^ word1)) >>> 32);
    }

    /** {@link #index(long[], long, long)} for three words. */
    public static int index(final long[] keys, final long word0, final long word1, final long word2)
    {
        return (int)((mix(keys[0] ^ word0) + mix(keys[1] ^ word1) + mix(keys[2] ^ word2)) >>> 32);
    }

    /** {@link #index(long[], long, long)} for five words. */
    public static int index(
        final long[] keys, final long word0, final long word1, final long word2, final long word3, final long word4)
    {
        return (int)((mix(keys[0] ^ word0) + mix(keys[1] ^ word1) + mix(keys[2] ^ word2) + mix(keys[3] ^ word3) +
            mix(keys[4] ^ word4)) >>> 32);
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
