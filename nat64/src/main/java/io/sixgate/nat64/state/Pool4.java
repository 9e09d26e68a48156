package io.sixgate.nat64.state;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.state.OffHeapRegion;
import io.sixgate.core.state.StateHash;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Pool4: the IPv4 transport addresses a stateful NAT64 maps IPv6 sources to (RFC 6146 §3.5.1.1),
 * with one free-port bitmap per address and protocol off-heap, and the port choice of RFC 6056
 * §3.3.4 (Algorithm 4, "double-hash port selection"), deterministic for a given seed so tests and
 * replays reproduce.
 *
 * <pre>
 *  region: | addr 0: tcp bitmap | udp bitmap | icmp bitmap | addr 1: tcp ... |
 *  bitmap: 65536 bits = 8192 bytes, bit p of long word p / 64 set = port p in use
 * </pre>
 *
 * <p>Choice of a pool4 transport address for a new BIB entry (IPv6 source X', port x):
 * <ol>
 *   <li>Address: a keyed hash of X' picks one, so every mapping of one IPv6 address uses the
 *   same IPv4 address ("Paired" pooling, RFC 4787 REQ-2; RFC 6146 §3.5.1.1 asks to reuse the
 *   address of X''s other BIB entries). Deviation: when that address has no free port in the
 *   range, the next addresses are tried, breaking the pairing rather than failing (the RFC's
 *   word is SHOULD).</li>
 *   <li>Range: a port below 1024 maps into 0-1023 and any other into 1024-65535 (RFC 4787
 *   REQ-3, RFC 6146 §3.5.1.1), intersected with the configured range. We never cross into the
 *   other range, except when the configured range has no port at all in the source's range
 *   (deviation, so a low source port still gets a mapping).</li>
 *   <li>Parity: a port of the same parity as x when one is free (RFC 4787 REQ-4), else any.</li>
 *   <li>Port: RFC 6056 Algorithm 4. {@code offset = F(T, X', key1)}, {@code index = G(T, X', key2)},
 *   the search starts at {@code first + (offset + table[index]) mod size} and takes the next free
 *   port (wrapping), then {@code table[index]} advances by the number of ports tried. F and G
 *   take the place of RFC 6056's connection-id hash: with endpoint-independent mapping the
 *   remote endpoint is not part of it. The search skips 64 used ports per word read.</li>
 * </ol>
 * ICMP identifiers keep neither range nor parity. TCP and UDP never get port 0.
 *
 * <p>Bounded work: a free count per (address, protocol, range half) lets allocation skip full
 * addresses in O(1), so one allocation scans at most two bitmaps (1024 words each), and only
 * when a free port is known to exist.
 *
 * <p>With several workers each shard's pool4 hands out only the ports of its
 * {@link PortPartition}: the search of Algorithm 4 is the same, but skips the other workers'
 * ports as it skips used ones (one more mask per bitmap word), and the free counts count only
 * this worker's ports. Range and parity keep holding, because a part has ports of both parities
 * in both ranges (see {@link PortPartition}). A static BIB entry may still reserve any port, its
 * owner's or not ({@link #reserve}): where a static entry's port lies is the user's choice.
 *
 * <p>Not thread-safe: one owner thread (the worker that owns this shard's port ranges).
 */
public final class Pool4 implements AutoCloseable
{
    /** Returned by {@link #allocate(int, long, long, int)} when no port is free. */
    public static final long NO_PORT = -1L;

    /** Last port of the RFC 4787 §4.2.1 well-known range 0-1023. */
    public static final int WELL_KNOWN_LAST = 1023;

    /** Bytes of one bitmap: one bit per port. */
    public static final int BITMAP_BYTES = 65536 / 8;

    /** Off-heap bytes per pool4 address: one bitmap per protocol. */
    public static final int BYTES_PER_ADDRESS = SessionProtocol.COUNT * BITMAP_BYTES;

    /** Largest number of addresses whose bitmaps fit one region. */
    public static final int MAX_ADDRESSES = (Integer.MAX_VALUE - OffHeapRegion.CACHE_LINE) / BYTES_PER_ADDRESS;

    /** RFC 6056 §3.3.4 TABLE_LENGTH: entries of the perturbation table (a power of two). */
    static final int TABLE_LENGTH = 1024;

    private static final long EVEN_PORTS = 0x5555_5555_5555_5555L;
    private static final long ODD_PORTS = 0xAAAA_AAAA_AAAA_AAAAL;
    private static final int LOW_HALF = 0;
    private static final int HIGH_HALF = 1;

    private final int[] addresses;
    private final int[] first = new int[SessionProtocol.COUNT];
    private final int[] last = new int[SessionProtocol.COUNT];
    private final OffHeapRegion region;
    private final UnsafeBuffer bitmaps;
    private final int[] freePorts;              // [(address * COUNT + protocol) * 2 + half], configured range only
    private final int[] table = new int[TABLE_LENGTH];
    private final boolean contiguous;
    private final PortPartition partition;
    /** Bit p set = port p is this worker's; {@code null} when the pool is not partitioned. */
    private final long[] owned;
    private final long addressKey;
    private final long[] offsetKey = new long[SessionProtocol.COUNT];
    private final long[] indexKey = new long[SessionProtocol.COUNT];
    private int allocated;

    /**
     * @param addresses pool4 addresses, distinct; the order does not matter.
     * @param tcp       ports handed out for TCP.
     * @param udp       ports handed out for UDP.
     * @param icmp      identifiers handed out for ICMP.
     * @param seed      secret for the hashes and the RFC 6056 table; the same seed gives the same choices.
     * @throws IllegalArgumentException if there are no addresses, too many, or duplicates.
     */
    public Pool4(final int[] addresses, final PortRange tcp, final PortRange udp, final PortRange icmp, final long seed)
    {
        this(addresses, tcp, udp, icmp, seed, PortPartition.WHOLE);
    }

    /**
     * A pool that hands out only one worker's part of every range (see {@link PortPartition}).
     *
     * @param partition the worker's part; {@link PortPartition#WHOLE} for every port.
     * @throws IllegalArgumentException as {@link #Pool4(int[], PortRange, PortRange, PortRange, long)}.
     */
    public Pool4(
        final int[] addresses,
        final PortRange tcp,
        final PortRange udp,
        final PortRange icmp,
        final long seed,
        final PortPartition partition)
    {
        if (null == addresses || 0 == addresses.length)
        {
            throw new IllegalArgumentException("pool4 needs at least one address");
        }
        if (addresses.length > MAX_ADDRESSES)
        {
            throw new IllegalArgumentException("pool4 has " + addresses.length + " addresses, at most " + MAX_ADDRESSES);
        }
        if (null == tcp || null == udp || null == icmp)
        {
            throw new IllegalArgumentException("pool4 needs a port range per protocol");
        }
        this.addresses = addresses.clone();
        Arrays.sort(this.addresses);
        for (int i = 1; i < this.addresses.length; i++)
        {
            if (this.addresses[i] == this.addresses[i - 1])
            {
                throw new IllegalArgumentException("pool4 lists " + Ipv4Address.format(this.addresses[i]) + " twice");
            }
        }
        // A prefix (the usual pool4) needs no search: the index is the distance from the first address.
        contiguous = this.addresses[this.addresses.length - 1] - this.addresses[0] == this.addresses.length - 1;

        // TCP and UDP port 0 is not a port a host can use.
        first[SessionProtocol.TCP] = Math.max(1, tcp.first());
        last[SessionProtocol.TCP] = tcp.last();
        first[SessionProtocol.UDP] = Math.max(1, udp.first());
        last[SessionProtocol.UDP] = udp.last();
        first[SessionProtocol.ICMP] = icmp.first();
        last[SessionProtocol.ICMP] = icmp.last();

        this.partition = partition;
        this.owned = partition.isWhole() ? null : ownedBitmap(partition);
        region = new OffHeapRegion(this.addresses.length * BYTES_PER_ADDRESS);
        bitmaps = region.buffer();
        freePorts = new int[this.addresses.length * SessionProtocol.COUNT * 2];
        for (int p = 0; p < SessionProtocol.COUNT; p++)
        {
            final int low = partition.ownedIn(first[p], Math.min(last[p], WELL_KNOWN_LAST));
            final int high = partition.ownedIn(Math.max(first[p], WELL_KNOWN_LAST + 1), last[p]);
            for (int a = 0; a < this.addresses.length; a++)
            {
                freePorts[countIndex(a, p, LOW_HALF)] = low;
                freePorts[countIndex(a, p, HIGH_HALF)] = high;
            }
        }

        final SplittableRandom random = new SplittableRandom(seed);
        addressKey = random.nextLong();
        for (int p = 0; p < SessionProtocol.COUNT; p++)
        {
            offsetKey[p] = random.nextLong();
            indexKey[p] = random.nextLong();
        }
        for (int i = 0; i < TABLE_LENGTH; i++)
        {
            table[i] = random.nextInt();     // RFC 6056 §3.3.4: table[i] = random() at start-up
        }
    }

    /**
     * Allocates a pool4 transport address for a new BIB entry (see the class comment for the rules).
     *
     * @param protocol a {@link SessionProtocol} index.
     * @param src6High bits 0-63 of the IPv6 source address X'.
     * @param src6Low  bits 64-127 of X'.
     * @param src6Port the IPv6 source port or ICMPv6 identifier x.
     * @return the address and port packed by {@link #pack(int, int)}, or {@link #NO_PORT}.
     */
    public long allocate(final int protocol, final long src6High, final long src6Low, final int src6Port)
    {
        if (!SessionProtocol.isValid(protocol))
        {
            return NO_PORT;
        }
        int lo = first[protocol];
        int hi = last[protocol];
        int halves = 3;                         // bit 0: low half counts, bit 1: high half counts
        final boolean keepRangeAndParity = SessionProtocol.ICMP != protocol;
        if (keepRangeAndParity)
        {
            // RFC 4787 REQ-3: 0-1023 maps into 0-1023, 1024-65535 into 1024-65535.
            final int rangeLo = src6Port <= WELL_KNOWN_LAST ? lo : Math.max(lo, WELL_KNOWN_LAST + 1);
            final int rangeHi = src6Port <= WELL_KNOWN_LAST ? Math.min(hi, WELL_KNOWN_LAST) : hi;
            if (rangeLo <= rangeHi)
            {
                lo = rangeLo;
                hi = rangeHi;
                halves = src6Port <= WELL_KNOWN_LAST ? 1 : 2;
            }
        }

        final int n = addresses.length;
        // RFC 4787 REQ-2 "Paired": the same X' always prefers the same address.
        final int preferred = (int)(((StateHash.hash(addressKey, src6High, src6Low) & 0xFFFF_FFFFL) * n) >>> 32);
        for (int k = 0; k < n; k++)
        {
            final int a = preferred + k < n ? preferred + k : preferred + k - n;
            if (free(a, protocol, halves) > 0)
            {
                final int port = allocateOn(a, protocol, lo, hi, src6High, src6Low, keepRangeAndParity, src6Port);
                if (port >= 0)
                {
                    return pack(addresses[a], port);
                }
            }
        }
        return NO_PORT;
    }

    /**
     * Marks a port in use for a static BIB entry (config), whether or not it is in the dynamic range.
     *
     * @return {@code false} if the address is not in the pool or the port is already in use.
     */
    public boolean reserve(final int protocol, final int address, final int port)
    {
        final int a = indexOf(address);
        if (a < 0 || !SessionProtocol.isValid(protocol) || port < 0 || port > 65535 || isSet(a, protocol, port))
        {
            return false;
        }
        take(a, protocol, port);
        return true;
    }

    /**
     * Returns a port to the pool (its BIB entry is gone).
     *
     * @return {@code false} if it was not in use (a bug elsewhere; nothing changes).
     */
    public boolean release(final int protocol, final int address, final int port)
    {
        final int a = indexOf(address);
        if (a < 0 || !SessionProtocol.isValid(protocol) || port < 0 || port > 65535 || !isSet(a, protocol, port))
        {
            return false;
        }
        final int offset = bitmapOffset(a, protocol) + ((port >>> 6) << 3);
        bitmaps.putLong(offset, bitmaps.getLong(offset) & ~(1L << (port & 63)));
        if (isCounted(protocol, port))
        {
            freePorts[countIndex(a, protocol, port <= WELL_KNOWN_LAST ? LOW_HALF : HIGH_HALF)]++;
        }
        allocated--;
        return true;
    }

    /**
     * @return {@code true} if the port of this pool address is in use for the protocol.
     */
    public boolean isAllocated(final int protocol, final int address, final int port)
    {
        final int a = indexOf(address);
        return a >= 0 && SessionProtocol.isValid(protocol) && port >= 0 && port <= 65535 && isSet(a, protocol, port);
    }

    /**
     * @return {@code true} if the address is one of the pool's: IPv4 packets to it are ours (RFC 6146 §3.4).
     */
    public boolean contains(final int address)
    {
        return indexOf(address) >= 0;
    }

    /**
     * @return ports of the configured range still free for the protocol, over every address.
     */
    public int freePorts(final int protocol)
    {
        int sum = 0;
        for (int a = 0; a < addresses.length; a++)
        {
            sum += free(a, protocol, 3);
        }
        return sum;
    }

    /**
     * @return ports in use over every address and protocol (static reservations included).
     */
    public int allocatedPorts()
    {
        return allocated;
    }

    public int addressCount()
    {
        return addresses.length;
    }

    /**
     * @param index 0 to {@link #addressCount()} - 1.
     * @return the address, in ascending signed order.
     */
    public int address(final int index)
    {
        return addresses[index];
    }

    /**
     * @return the configured range for a protocol, TCP and UDP without port 0.
     */
    public PortRange range(final int protocol)
    {
        return new PortRange(first[protocol], last[protocol]);
    }

    /**
     * @return the part of every range this pool hands out.
     */
    public PortPartition partition()
    {
        return partition;
    }

    /**
     * @return whether {@link #allocate} may hand out this port (this worker's part).
     */
    public boolean owns(final int port)
    {
        return null == owned || (owned[(port & 0xFFFF) >>> 6] & (1L << (port & 63))) != 0;
    }

    /**
     * @return bytes of off-heap memory held: {@link #BYTES_PER_ADDRESS} per address.
     */
    public long offHeapBytes()
    {
        return region.length();
    }

    /**
     * Frees the bitmaps; the pool must not be used afterwards.
     */
    public void close()
    {
        region.free();
    }

    /**
     * @return an IPv4 transport address as one {@code long}: address in bits 16-47, port in bits 0-15.
     */
    public static long pack(final int address, final int port)
    {
        return ((address & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }

    public static int address(final long transportAddress)
    {
        return (int)(transportAddress >>> 16);
    }

    public static int port(final long transportAddress)
    {
        return (int)transportAddress & 0xFFFF;
    }

    private int allocateOn(
        final int a,
        final int protocol,
        final int lo,
        final int hi,
        final long src6High,
        final long src6Low,
        final boolean keepParity,
        final int src6Port)
    {
        // RFC 6056 §3.3.4 Algorithm 4: offset = F(...), index = G(...), port = min + (offset + table[index]) % num.
        final int size = hi - lo + 1;
        final long connection = (addresses[a] & 0xFFFF_FFFFL) | ((long)protocol << 32);
        final int offset = StateHash.hash(offsetKey[protocol], connection, src6High, src6Low);
        final int index = StateHash.hash(indexKey[protocol], connection, src6High, src6Low) & (TABLE_LENGTH - 1);
        final int start = lo + (int)(((offset & 0xFFFF_FFFFL) + (table[index] & 0xFFFF_FFFFL)) % size);

        final int base = bitmapOffset(a, protocol);
        int port = -1;
        if (keepParity)
        {
            port = findFree(base, start, lo, hi, (src6Port & 1) == 0 ? EVEN_PORTS : ODD_PORTS);     // RFC 4787 REQ-4
        }
        if (port < 0)
        {
            port = findFree(base, start, lo, hi, -1L);
        }
        if (port < 0)
        {
            return -1;
        }
        // RFC 6056 §3.3.4 increments table[index] once per port tried.
        table[index] += (port >= start ? port - start : port + size - start) + 1;
        take(a, protocol, port);
        return port;
    }

    /**
     * First free port of {@code mask} at or after {@code start}, wrapping from {@code hi} to {@code lo}.
     */
    private int findFree(final int base, final int start, final int lo, final int hi, final long mask)
    {
        final int port = scan(base, start, hi, mask);
        if (port >= 0 || start == lo)
        {
            return port;
        }
        return scan(base, lo, start - 1, mask);
    }

    /**
     * First port in [from, to] whose bit is clear and whose bit in {@code mask} is set, or -1.
     */
    private int scan(final int base, final int from, final int to, final long mask)
    {
        int word = from >>> 6;
        final int lastWord = to >>> 6;
        final long[] owned = this.owned;
        long candidates = ~bitmaps.getLong(base + (word << 3)) & mask & (-1L << (from & 63));
        while (true)
        {
            if (null != owned)
            {
                candidates &= owned[word];     // another worker's port: as good as used
            }
            if (word == lastWord)
            {
                candidates &= -1L >>> (63 - (to & 63));
                return 0 == candidates ? -1 : (word << 6) + Long.numberOfTrailingZeros(candidates);
            }
            if (0 != candidates)
            {
                return (word << 6) + Long.numberOfTrailingZeros(candidates);
            }
            word++;
            candidates = ~bitmaps.getLong(base + (word << 3)) & mask;
        }
    }

    private void take(final int a, final int protocol, final int port)
    {
        final int offset = bitmapOffset(a, protocol) + ((port >>> 6) << 3);
        bitmaps.putLong(offset, bitmaps.getLong(offset) | (1L << (port & 63)));
        if (isCounted(protocol, port))
        {
            freePorts[countIndex(a, protocol, port <= WELL_KNOWN_LAST ? LOW_HALF : HIGH_HALF)]--;
        }
        allocated++;
    }

    /** Whether the port is one of those the free counts count: in the range and this worker's. */
    private boolean isCounted(final int protocol, final int port)
    {
        return port >= first[protocol] && port <= last[protocol] && owns(port);
    }

    private static long[] ownedBitmap(final PortPartition partition)
    {
        final long[] bits = new long[65536 / 64];
        for (int port = 0; port <= 65535; port++)
        {
            if (partition.owns(port))
            {
                bits[port >>> 6] |= 1L << (port & 63);
            }
        }
        return bits;
    }

    private boolean isSet(final int a, final int protocol, final int port)
    {
        return (bitmaps.getLong(bitmapOffset(a, protocol) + ((port >>> 6) << 3)) & (1L << (port & 63))) != 0;
    }

    private int free(final int a, final int protocol, final int halves)
    {
        return ((halves & 1) != 0 ? freePorts[countIndex(a, protocol, LOW_HALF)] : 0) +
            ((halves & 2) != 0 ? freePorts[countIndex(a, protocol, HIGH_HALF)] : 0);
    }

    private int indexOf(final int address)
    {
        final int[] sorted = addresses;
        final int distance = address - sorted[0];
        if (contiguous)
        {
            return Integer.compareUnsigned(distance, sorted.length) < 0 ? distance : -1;
        }
        if (address < sorted[0] || address > sorted[sorted.length - 1])
        {
            return -1;      // the usual answer for a packet's destination: outside pool4 altogether
        }
        int low = 0;
        int high = sorted.length - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final int value = sorted[mid];
            if (value < address)
            {
                low = mid + 1;
            }
            else if (value > address)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -1;
    }

    private static int bitmapOffset(final int a, final int protocol)
    {
        return (a * SessionProtocol.COUNT + protocol) * BITMAP_BYTES;
    }

    private static int countIndex(final int a, final int protocol, final int half)
    {
        return ((a * SessionProtocol.COUNT + protocol) << 1) + half;
    }
}
