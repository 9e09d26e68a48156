package io.sixgate.core.packet;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Buffers and hex for packet tests. Public so that other modules' tests can use it through
 * gateway-core's test-jar.
 */
public final class TestBuffers
{
    private TestBuffers()
    {
    }

    /**
     * @param capacity in bytes.
     * @return a zeroed buffer over off-heap memory, like the frame pool's.
     */
    public static UnsafeBuffer directBuffer(final int capacity)
    {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
    }

    /**
     * @param bytes  to place.
     * @param offset where they go; tests use a non-zero, often odd, offset to catch code that
     *               assumes a packet starts at 0.
     * @param spare  extra zero bytes after them.
     * @return a direct buffer of {@code offset + bytes.length + spare} bytes holding them.
     */
    public static UnsafeBuffer directBufferWith(final byte[] bytes, final int offset, final int spare)
    {
        final UnsafeBuffer buffer = directBuffer(offset + bytes.length + spare);
        buffer.putBytes(offset, bytes);
        return buffer;
    }

    /**
     * @param hex hex digits; whitespace, colons and underscores are ignored.
     * @return the bytes.
     */
    public static byte[] fromHex(final String hex)
    {
        final String digits = hex.replaceAll("[\\s:_]", "");
        if ((digits.length() & 1) != 0)
        {
            throw new IllegalArgumentException("odd number of hex digits: " + digits.length());
        }
        final byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    /**
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length number of bytes.
     * @return lower-case hex, no separators.
     */
    public static String toHex(final DirectBuffer buffer, final int offset, final int length)
    {
        final StringBuilder sb = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++)
        {
            sb.append(Character.forDigit((buffer.getByte(offset + i) >>> 4) & 0xF, 16));
            sb.append(Character.forDigit(buffer.getByte(offset + i) & 0xF, 16));
        }
        return sb.toString();
    }

    /**
     * @param bytes to format.
     * @return lower-case hex, no separators.
     */
    public static String toHex(final byte[] bytes)
    {
        return toHex(directBufferWith(bytes, 0, 0), 0, bytes.length);
    }
}
