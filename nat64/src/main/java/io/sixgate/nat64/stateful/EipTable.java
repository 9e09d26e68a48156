package io.sixgate.nat64.stateful;

import java.util.Arrays;

import io.sixgate.core.net.Ipv4Address;

/**
 * 1:1 "IPv6 EIP" bindings applied on the IPv4 side of stateful NAT64: an IPv6 client reaches an
 * IPv4 instance at pool6 + its public IPv4 EIP; after translation the destination is the
 * instance's private address, and the instance's replies get the public address back before
 * the source is embedded in pool6 (so the client sees the address it sent to).
 *
 * <p>Deliberate deviation, for the cloud product this reproduces: RFC 6146 embeds the IPv4
 * address the remote really has; here the embedded address is a public alias of it.
 *
 * <p>Few entries (configuration): two sorted int arrays, binary search, no allocation.
 */
public final class EipTable
{
    /** No bindings. */
    public static final EipTable EMPTY = new EipTable(new int[0], new int[0]);

    private final int[] publicSorted;
    private final int[] privateByPublic;
    private final int[] privateSorted;
    private final int[] publicByPrivate;

    /**
     * @param publicAddresses  the EIPs.
     * @param privateAddresses the instance address of each, same order.
     * @throws IllegalArgumentException if the arrays differ in length or an address repeats.
     */
    public EipTable(final int[] publicAddresses, final int[] privateAddresses)
    {
        if (publicAddresses.length != privateAddresses.length)
        {
            throw new IllegalArgumentException("EIP bindings need one private address per public address");
        }
        final int n = publicAddresses.length;
        publicSorted = new int[n];
        privateByPublic = new int[n];
        privateSorted = new int[n];
        publicByPrivate = new int[n];
        final long[] byPublic = new long[n];
        final long[] byPrivate = new long[n];
        for (int i = 0; i < n; i++)
        {
            byPublic[i] = (publicAddresses[i] & 0xFFFF_FFFFL) << 32 | (privateAddresses[i] & 0xFFFF_FFFFL);
            byPrivate[i] = (privateAddresses[i] & 0xFFFF_FFFFL) << 32 | (publicAddresses[i] & 0xFFFF_FFFFL);
        }
        Arrays.sort(byPublic);
        Arrays.sort(byPrivate);
        for (int i = 0; i < n; i++)
        {
            publicSorted[i] = (int)(byPublic[i] >>> 32);
            privateByPublic[i] = (int)byPublic[i];
            privateSorted[i] = (int)(byPrivate[i] >>> 32);
            publicByPrivate[i] = (int)byPrivate[i];
            if (i > 0 && (publicSorted[i] == publicSorted[i - 1] || privateSorted[i] == privateSorted[i - 1]))
            {
                throw new IllegalArgumentException("EIP address bound twice: " + Ipv4Address.format(
                    publicSorted[i] == publicSorted[i - 1] ? publicSorted[i] : privateSorted[i]));
            }
        }
    }

    /**
     * @return the private address of an EIP, or {@code address} itself when it is not an EIP.
     */
    public int toPrivate(final int address)
    {
        final int i = find(publicSorted, address);
        return i < 0 ? address : privateByPublic[i];
    }

    /**
     * @return the EIP of a private address, or {@code address} itself when it has none.
     */
    public int toPublic(final int address)
    {
        final int i = find(privateSorted, address);
        return i < 0 ? address : publicByPrivate[i];
    }

    /**
     * @return whether {@code address} is one of the EIPs.
     */
    public boolean isPublic(final int address)
    {
        return find(publicSorted, address) >= 0;
    }

    public int size()
    {
        return publicSorted.length;
    }

    /**
     * @param index 0 to {@link #size()} - 1, in order of public address.
     * @return the EIP of the binding at that index (for listings).
     */
    public int publicAddress(final int index)
    {
        return publicSorted[index];
    }

    /**
     * @param index 0 to {@link #size()} - 1, in order of public address.
     * @return the private address of the binding at that index (for listings).
     */
    public int privateAddress(final int index)
    {
        return privateByPublic[index];
    }

    private static int find(final int[] sorted, final int address)
    {
        int lo = 0;
        int hi = sorted.length - 1;
        final long key = address & 0xFFFF_FFFFL;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            final long value = sorted[mid] & 0xFFFF_FFFFL;
            if (value < key)
            {
                lo = mid + 1;
            }
            else if (value > key)
            {
                hi = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -1;
    }
}
