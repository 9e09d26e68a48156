package io.sixgate.daemon.port;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Linux {@code struct ifreq} (40 bytes on 64-bit): the interface name in the first 16 bytes,
 * then a union of which the ports use the {@code short} flags and the {@code int} MTU or
 * transmit queue length, all at offset 16, in host byte order.
 *
 * <pre>
 *   0                                  16          20                      40
 *   +----------------------------------+-----------+-----------------------+
 *   | ifr_name, NUL-terminated         | flags/mtu/| rest of the union     |
 *   |                                  | qlen      |                       |
 *   +----------------------------------+-----------+-----------------------+
 * </pre>
 */
final class Ifreq
{
    static final int LENGTH = 40;
    static final int NAME_LENGTH = 16;
    static final int UNION_OFFSET = 16;

    private Ifreq()
    {
    }

    /**
     * @param name an interface name of at most 15 bytes (IFNAMSIZ - 1).
     */
    static byte[] named(final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length >= NAME_LENGTH)
        {
            throw new IllegalArgumentException("interface names have 1 to 15 characters: " + name);
        }
        final byte[] ifreq = new byte[LENGTH];
        System.arraycopy(bytes, 0, ifreq, 0, bytes.length);
        return ifreq;
    }

    static String name(final byte[] ifreq)
    {
        int end = 0;
        while (end < NAME_LENGTH && ifreq[end] != 0)
        {
            end++;
        }
        return new String(ifreq, 0, end, StandardCharsets.US_ASCII);
    }

    static short flags(final byte[] ifreq)
    {
        return union(ifreq).getShort(UNION_OFFSET);
    }

    static void flags(final byte[] ifreq, final int flags)
    {
        union(ifreq).putShort(UNION_OFFSET, (short)flags);
    }

    static int mtu(final byte[] ifreq)
    {
        return union(ifreq).getInt(UNION_OFFSET);
    }

    static void mtu(final byte[] ifreq, final int mtu)
    {
        union(ifreq).putInt(UNION_OFFSET, mtu);
    }

    static int queueLength(final byte[] ifreq)
    {
        return union(ifreq).getInt(UNION_OFFSET);
    }

    static void queueLength(final byte[] ifreq, final int queueLength)
    {
        union(ifreq).putInt(UNION_OFFSET, queueLength);
    }

    private static ByteBuffer union(final byte[] ifreq)
    {
        return ByteBuffer.wrap(ifreq).order(ByteOrder.nativeOrder());
    }
}
