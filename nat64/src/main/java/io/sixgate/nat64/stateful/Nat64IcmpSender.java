package io.sixgate.nat64.stateful;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.icmp.IcmpErrorFactory;
import io.sixgate.core.icmp.IdentificationGenerator;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.nat64.icmp.IcmpTranslation;
import io.sixgate.nat64.siit.TranslatorConfig;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The ICMP errors stateful NAT64 originates (not those it translates), each quoting the packet
 * it answers and sent to that packet's source:
 * <ul>
 *   <li>RFC 6146 §3.5.1.1: no pool4 port for a new BIB entry, ICMPv6 Destination Unreachable,
 *   Code 3 (Address Unreachable), from the gateway's IPv6 address;</li>
 *   <li>RFC 6146 §3.5.1: UDP to a pool4 port without BIB entry, and §3.5.2.2: an unsolicited
 *   IPv4 SYN whose hold ran out, ICMPv4 Port Unreachable from the pool4 address it was sent to;</li>
 *   <li>§3.5.2.2 for a hairpinned SYN (held as IPv6): ICMPv6 Port Unreachable.</li>
 * </ul>
 * Errors never answer errors, nor multicast or unspecified sources (RFC 1812 §4.3.2.7,
 * RFC 4443 §2.4 (e)). Nothing allocates; a missing frame means no error.
 */
final class Nat64IcmpSender
{
    private final FramePool pool;
    private final UnsafeBuffer buffer;
    private final IcmpErrorFactory errors;
    private final IdentificationGenerator identification;
    private final TranslatorConfig config;

    private Pipeline pipeline;
    private int ipv4OutputId = -1;
    private int ipv6OutputId = -1;

    Nat64IcmpSender(final FramePool pool, final TranslatorConfig config, final IdentificationGenerator identification)
    {
        this.pool = pool;
        this.buffer = pool.buffer();
        this.errors = new IcmpErrorFactory(pool);
        this.identification = identification;
        this.config = config;
    }

    void link(final Pipeline pipeline, final int ipv4OutputId, final int ipv6OutputId)
    {
        this.pipeline = pipeline;
        this.ipv4OutputId = ipv4OutputId;
        this.ipv6OutputId = ipv6OutputId;
    }

    /**
     * ICMPv4 Destination Unreachable, Port Unreachable (3/3), about the IPv4 packet in {@code frame}.
     *
     * @return whether an error was sent.
     */
    boolean portUnreachable4(final int frame)
    {
        final int off = pool.offset(frame);
        final int src4 = buffer.getInt(off + Ipv4Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final int dst4 = buffer.getInt(off + Ipv4Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        final int first = src4 >>> 24;
        if (!config.icmpErrors() || first == 0 || first == 127 || first >= 224)
        {
            return false;
        }
        final int length = Math.min(pool.length(frame), buffer.getShort(off + 2, BIG_ENDIAN) & 0xFFFF);
        final int error = errors.icmpv4Error(off, length, dst4, src4, IcmpTranslation.ICMPV4_DEST_UNREACHABLE,
            IcmpTranslation.ICMPV4_CODE_PORT_UNREACHABLE, 0, identification.next());
        return emit(error, ipv4OutputId);
    }

    /**
     * ICMPv6 Destination Unreachable with {@code code} (3 Address Unreachable, 4 Port
     * Unreachable) about the IPv6 packet in {@code frame}.
     *
     * @return whether an error was sent.
     */
    boolean unreachable6(final int frame, final int code)
    {
        final int off = pool.offset(frame);
        final long srcHigh = buffer.getLong(off + Ipv6Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final long srcLow = buffer.getLong(off + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        if (!config.icmpErrors() || (srcHigh >>> 56) == 0xFF || (srcHigh == 0 && (srcLow == 0 || srcLow == 1)))
        {
            return false;
        }
        final int length = Math.min(pool.length(frame),
            40 + (buffer.getShort(off + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF));
        final int error = errors.icmpv6Error(off, length, config.localIpv6High(), config.localIpv6Low(), srcHigh, srcLow,
            IcmpTranslation.ICMPV6_DEST_UNREACHABLE, code, 0);
        return emit(error, ipv6OutputId);
    }

    private boolean emit(final int error, final int outputId)
    {
        if (error == FramePool.NO_FRAME || pipeline == null)
        {
            if (error != FramePool.NO_FRAME)
            {
                pool.release(error);
            }
            return false;
        }
        pipeline.emit(error, Verdict.next(outputId));
        return true;
    }
}
