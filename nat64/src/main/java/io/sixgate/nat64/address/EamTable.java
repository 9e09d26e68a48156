package io.sixgate.nat64.address;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.MutableDirectBuffer;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv4Prefix;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.core.net.Ipv6Prefix;

/**
 * The RFC 7757 Explicit Address Mapping Table: pairs of an IPv4 prefix and an IPv6 prefix that
 * translate addresses both ways, for IPv6 hosts whose addresses do not embed an IPv4 address.
 *
 * <p>Mapping (RFC 7757 §3.2): the IPv4 prefix is replaced by the IPv6 prefix and the IPv4 suffix
 * bits are copied right after it, and the reverse. The IPv4 suffix ({@code 32 - p4} bits) must
 * not be longer than the IPv6 suffix ({@code 128 - p6} bits). When the IPv6 suffix is longer,
 * its remaining trailing bits are written as zero (4 to 6) and ignored (6 to 4). Example from the
 * conformance corpus: {@code 192.0.2.0/24 <-> 2001:db8:1c0:2::/72} maps 192.0.2.33 to
 * 2001:db8:1c0:2:21:: and back.
 *
 * <p>Lookups use longest-prefix match (RFC 7757 §3.3), in each direction independently.
 *
 * <p>Overlap policy, checked at build time: an entry whose IPv4 or IPv6 prefix equals one
 * already in the table is always rejected (the same addresses would map two ways). An entry
 * whose prefix contains, or is contained in, another entry's prefix is rejected by
 * {@link Builder#add}, because longest-prefix match then makes the mapping asymmetric (an
 * address can translate to one that does not translate back to it); {@link Builder#addOverlapping}
 * accepts such nested entries knowingly, as Jool's {@code eamt add --force} does.
 *
 * <p>Hairpinning (RFC 7757 §4). When an IPv6 node addresses another IPv6 node through the
 * latter's EAM IPv4 address embedded in the RFC 6052 prefix (destination = pool6 + IPv4 address
 * that lies inside an EAM IPv4 prefix), the translated IPv4 packet would leave towards the IPv4
 * side although its destination is behind this translator. The translator must instead turn it
 * straight back into IPv6 ("hairpin") and, while doing so, translate its source with the RFC
 * 6052 prefix rather than through the EAMT, so the receiver answers through pool6 again. The
 * same test applies to the inner packet of an ICMP error with the roles swapped (its source was
 * pool6-embedded and is inside an EAM IPv4 prefix). The translator decides this, using
 * {@link #containsIpv4(int)} on the IPv4 address it obtained through the RFC 6052 prefix; this
 * table only answers the question. (Jool calls this "intrinsic" EAM hairpinning.)
 *
 * <p>Complexity: entries are few (tens), so each direction keeps entry indexes sorted by
 * prefix length, longest first, in primitive arrays, and a lookup is a linear scan that stops
 * at the first match: O(n) compares with no allocation and no pointer chasing. A table with
 * thousands of entries would want a per-length hash or a trie instead. The table is immutable
 * once built, so workers may share it.
 */
public final class EamTable
{
    /**
     * Returned by {@link #findByIpv4(int)} and {@link #findByIpv6(long, long)} on a miss.
     */
    public static final int NOT_FOUND = -1;

    /**
     * Returned by {@link #translate6to4(long, long)} on a miss (every hit is 0 to 2^32 - 1).
     */
    public static final long NO_MAPPING = -1L;

    private static final EamTable EMPTY = new Builder().build();

    private final Entry[] entries;

    private final int[] prefix4;
    private final int[] mask4;
    private final int[] length4;
    private final long[] prefix6High;
    private final long[] prefix6Low;
    private final long[] mask6High;
    private final long[] mask6Low;
    private final int[] length6;

    private final int[] byLength4;     // entry indexes, longest IPv4 prefix first
    private final int[] byLength6;     // entry indexes, longest IPv6 prefix first

    /**
     * One EAM: an IPv4 prefix and an IPv6 prefix, the IPv4 suffix no longer than the IPv6 suffix.
     *
     * @param ipv4 IPv4 prefix.
     * @param ipv6 IPv6 prefix.
     */
    public record Entry(Ipv4Prefix ipv4, Ipv6Prefix ipv6)
    {
        /**
         * Validate one entry on its own (RFC 7757 §3.2).
         *
         * @throws IllegalArgumentException if a prefix is null or the IPv4 suffix is longer.
         */
        public Entry
        {
            if (null == ipv4 || null == ipv6)
            {
                throw new IllegalArgumentException("EAM needs both an IPv4 and an IPv6 prefix: " + ipv4 + " " + ipv6);
            }
            final int suffix4 = Ipv4Address.BITS - ipv4.length();
            final int suffix6 = Ipv6Address.BITS - ipv6.length();
            if (suffix4 > suffix6)
            {
                // RFC 7757 §3.2: the IPv4 suffix bits are copied into the IPv6 suffix, so they must fit.
                throw new IllegalArgumentException("invalid EAM " + ipv4 + " <-> " + ipv6 + ": the IPv4 suffix (" +
                    suffix4 + " bits) is longer than the IPv6 suffix (" + suffix6 + " bits) (RFC 7757 §3.2)");
            }
        }

        /**
         * @return {@code "ipv4 <-> ipv6"}.
         */
        public String toString()
        {
            return ipv4 + " <-> " + ipv6;
        }
    }

    /**
     * Collects and validates entries at config time.
     */
    public static final class Builder
    {
        private final List<Entry> entries = new ArrayList<>();

        /**
         * Add an entry that overlaps no other entry on either side.
         *
         * @param ipv4 IPv4 prefix.
         * @param ipv6 IPv6 prefix.
         * @return this builder.
         * @throws IllegalArgumentException if the entry is invalid or overlaps an entry already added.
         */
        public Builder add(final Ipv4Prefix ipv4, final Ipv6Prefix ipv6)
        {
            return add(new Entry(ipv4, ipv6), false);
        }

        /**
         * Parse and add an entry that overlaps no other entry on either side.
         *
         * @param ipv4 such as {@code "192.0.2.0/24"}.
         * @param ipv6 such as {@code "2001:db8:1c0:2::/72"}.
         * @return this builder.
         * @throws IllegalArgumentException if the text is invalid or the entry overlaps an entry already added.
         */
        public Builder add(final CharSequence ipv4, final CharSequence ipv6)
        {
            return add(Ipv4Prefix.parse(ipv4), Ipv6Prefix.parse(ipv6));
        }

        /**
         * Add an entry that may nest inside, or contain, existing entries; longest-prefix match then
         * decides (RFC 7757 §3.3) and the mapping may be asymmetric. Prefixes equal to an existing
         * entry's are still rejected.
         *
         * @param ipv4 IPv4 prefix.
         * @param ipv6 IPv6 prefix.
         * @return this builder.
         * @throws IllegalArgumentException if the entry is invalid or repeats an existing prefix.
         */
        public Builder addOverlapping(final Ipv4Prefix ipv4, final Ipv6Prefix ipv6)
        {
            return add(new Entry(ipv4, ipv6), true);
        }

        private Builder add(final Entry entry, final boolean allowNested)
        {
            for (final Entry existing : entries)
            {
                if (existing.ipv4().equals(entry.ipv4()))
                {
                    throw new IllegalArgumentException("EAM " + entry + " rejected: IPv4 prefix " + entry.ipv4() +
                        " is already mapped by EAM " + existing);
                }
                if (existing.ipv6().equals(entry.ipv6()))
                {
                    throw new IllegalArgumentException("EAM " + entry + " rejected: IPv6 prefix " + entry.ipv6() +
                        " is already mapped by EAM " + existing);
                }
                if (!allowNested)
                {
                    if (existing.ipv4().overlaps(entry.ipv4()))
                    {
                        throw new IllegalArgumentException("EAM " + entry + " rejected: IPv4 prefix " + entry.ipv4() +
                            " overlaps EAM " + existing + " (longest match would make the mapping asymmetric, " +
                            "RFC 7757 §3.3; add it as an overlapping entry if that is intended)");
                    }
                    if (existing.ipv6().overlaps(entry.ipv6()))
                    {
                        throw new IllegalArgumentException("EAM " + entry + " rejected: IPv6 prefix " + entry.ipv6() +
                            " overlaps EAM " + existing + " (longest match would make the mapping asymmetric, " +
                            "RFC 7757 §3.3; add it as an overlapping entry if that is intended)");
                    }
                }
            }
            entries.add(entry);
            return this;
        }

        /**
         * @return an immutable table of the entries added so far.
         */
        public EamTable build()
        {
            return new EamTable(entries.toArray(new Entry[0]));
        }
    }

    private EamTable(final Entry[] entries)
    {
        final int n = entries.length;
        this.entries = entries;
        prefix4 = new int[n];
        mask4 = new int[n];
        length4 = new int[n];
        prefix6High = new long[n];
        prefix6Low = new long[n];
        mask6High = new long[n];
        mask6Low = new long[n];
        length6 = new int[n];

        for (int i = 0; i < n; i++)
        {
            final Ipv4Prefix p4 = entries[i].ipv4();
            final Ipv6Prefix p6 = entries[i].ipv6();
            prefix4[i] = p4.address();
            mask4[i] = p4.netmask();
            length4[i] = p4.length();
            prefix6High[i] = p6.high();
            prefix6Low[i] = p6.low();
            mask6High[i] = Ipv6Prefix.maskHigh(p6.length());
            mask6Low[i] = Ipv6Prefix.maskLow(p6.length());
            length6[i] = p6.length();
        }

        byLength4 = sortedByLengthDescending(length4);
        byLength6 = sortedByLengthDescending(length6);
    }

    /**
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * @return a table with no entries.
     */
    public static EamTable empty()
    {
        return EMPTY;
    }

    /**
     * @return number of entries.
     */
    public int size()
    {
        return entries.length;
    }

    /**
     * @param entry index from a lookup, 0 to {@link #size()} - 1.
     * @return the entry (config time, logging, admin API).
     */
    public Entry entry(final int entry)
    {
        return entries[entry];
    }

    /**
     * @return the entries in the order they were added.
     */
    public List<Entry> entries()
    {
        return List.of(entries);
    }

    /**
     * Longest-prefix match of an IPv6 address against the IPv6 prefixes (RFC 7757 §3.3).
     *
     * @param high bits 0-63.
     * @param low  bits 64-127.
     * @return the entry index, or {@link #NOT_FOUND}.
     */
    public int findByIpv6(final long high, final long low)
    {
        final int[] order = byLength6;
        for (int k = 0, n = order.length; k < n; k++)
        {
            final int i = order[k];
            if ((high & mask6High[i]) == prefix6High[i] && (low & mask6Low[i]) == prefix6Low[i])
            {
                return i;
            }
        }
        return NOT_FOUND;
    }

    /**
     * Longest-prefix match of an IPv4 address against the IPv4 prefixes (RFC 7757 §3.3).
     *
     * @param ipv4 address.
     * @return the entry index, or {@link #NOT_FOUND}.
     */
    public int findByIpv4(final int ipv4)
    {
        final int[] order = byLength4;
        for (int k = 0, n = order.length; k < n; k++)
        {
            final int i = order[k];
            if ((ipv4 & mask4[i]) == prefix4[i])
            {
                return i;
            }
        }
        return NOT_FOUND;
    }

    /**
     * Translate an IPv6 address matched by {@link #findByIpv6(long, long)} (RFC 7757 §3.2): the
     * IPv4 prefix followed by the {@code 32 - p4} bits that come right after the IPv6 prefix.
     *
     * @param entry index returned by {@link #findByIpv6(long, long)} for this address.
     * @param high  bits 0-63.
     * @param low   bits 64-127.
     * @return the IPv4 address.
     */
    public int toIpv4(final int entry, final long high, final long low)
    {
        final int suffixBits = Ipv4Address.BITS - length4[entry];
        if (0 == suffixBits)
        {
            return prefix4[entry];
        }

        final int start = length6[entry];
        final long aligned;     // the 128-bit address shifted left by start, top 64 bits
        if (0 == start)
        {
            aligned = high;
        }
        else if (start < 64)
        {
            aligned = (high << start) | (low >>> (64 - start));
        }
        else
        {
            aligned = low << (start - 64);
        }

        return prefix4[entry] | (int)(aligned >>> (64 - suffixBits));
    }

    /**
     * Bits 0-63 of the IPv6 address for an IPv4 address matched by {@link #findByIpv4(int)}
     * (RFC 7757 §3.2): the IPv6 prefix, then the IPv4 suffix, then zeros.
     *
     * @param entry index returned by {@link #findByIpv4(int)} for this address.
     * @param ipv4  address.
     * @return the high half.
     */
    public long toIpv6High(final int entry, final int ipv4)
    {
        final int suffixBits = Ipv4Address.BITS - length4[entry];
        final int shift = Ipv6Address.BITS - length6[entry] - suffixBits;     // from bit 127 to the suffix's last bit
        if (0 == suffixBits || shift + suffixBits <= 64)
        {
            return prefix6High[entry];
        }

        final long suffix = ipv4 & ~mask4[entry] & 0xFFFF_FFFFL;
        return prefix6High[entry] | (shift >= 64 ? suffix << (shift - 64) : suffix >>> (64 - shift));
    }

    /**
     * Bits 64-127 of the IPv6 address for an IPv4 address matched by {@link #findByIpv4(int)}
     * (RFC 7757 §3.2).
     *
     * @param entry index returned by {@link #findByIpv4(int)} for this address.
     * @param ipv4  address.
     * @return the low half.
     */
    public long toIpv6Low(final int entry, final int ipv4)
    {
        final int suffixBits = Ipv4Address.BITS - length4[entry];
        final int shift = Ipv6Address.BITS - length6[entry] - suffixBits;
        if (0 == suffixBits || shift >= 64)
        {
            return prefix6Low[entry];
        }

        final long suffix = ipv4 & ~mask4[entry] & 0xFFFF_FFFFL;
        return prefix6Low[entry] | (suffix << shift);
    }

    /**
     * Translate IPv6 to IPv4 in one call.
     *
     * @param high bits 0-63.
     * @param low  bits 64-127.
     * @return the IPv4 address as an unsigned value (cast to {@code int} to use it), or
     * {@link #NO_MAPPING} if no entry matches.
     */
    public long translate6to4(final long high, final long low)
    {
        final int entry = findByIpv6(high, low);
        if (NOT_FOUND == entry)
        {
            return NO_MAPPING;
        }
        return toIpv4(entry, high, low) & 0xFFFF_FFFFL;
    }

    /**
     * Translate IPv4 to IPv6 in one call, writing the result in network byte order.
     *
     * @param ipv4   address.
     * @param buffer to write the IPv6 address to; untouched on a miss.
     * @param offset of the first octet.
     * @return {@code true} if an entry matched and the address was written.
     */
    public boolean translate4to6(final int ipv4, final MutableDirectBuffer buffer, final int offset)
    {
        final int entry = findByIpv4(ipv4);
        if (NOT_FOUND == entry)
        {
            return false;
        }
        Ipv6Address.write(buffer, offset, toIpv6High(entry, ipv4), toIpv6Low(entry, ipv4));
        return true;
    }

    /**
     * Is this IPv4 address inside an EAM IPv4 prefix? The RFC 7757 §4 hairpinning test (see the
     * class comment).
     *
     * @param ipv4 address.
     * @return {@code true} if some entry's IPv4 prefix contains it.
     */
    public boolean containsIpv4(final int ipv4)
    {
        return NOT_FOUND != findByIpv4(ipv4);
    }

    /**
     * Is this IPv6 address inside an EAM IPv6 prefix?
     *
     * @param high bits 0-63.
     * @param low  bits 64-127.
     * @return {@code true} if some entry's IPv6 prefix contains it.
     */
    public boolean containsIpv6(final long high, final long low)
    {
        return NOT_FOUND != findByIpv6(high, low);
    }

    /**
     * @return the entries, one per line.
     */
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("EamTable{");
        for (int i = 0; i < entries.length; i++)
        {
            sb.append(i == 0 ? "" : ", ").append(entries[i]);
        }
        return sb.append('}').toString();
    }

    private static int[] sortedByLengthDescending(final int[] lengths)
    {
        final int n = lengths.length;
        final long[] keys = new long[n];
        for (int i = 0; i < n; i++)
        {
            // Longest first; insertion order among equal lengths (they cannot overlap anyway).
            keys[i] = ((long)(255 - lengths[i]) << 32) | i;
        }
        Arrays.sort(keys);

        final int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = (int)keys[i];
        }
        return order;
    }
}
