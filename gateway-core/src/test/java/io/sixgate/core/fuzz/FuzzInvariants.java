package io.sixgate.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import io.sixgate.core.counters.PipelineCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.ArpValidator;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.EthernetValidator;
import io.sixgate.core.packet.Ipv4Validator;
import io.sixgate.core.packet.Ipv6HeaderChain;
import io.sixgate.core.packet.Ipv6Validator;
import io.sixgate.core.packet.PacketChecks;
import io.sixgate.core.pipeline.Pipeline;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * What every fuzz target checks after every input (issue 8): the counters add up, no frame leaked
 * from the pool, and every emitted frame parses again as the gateway's own input validators
 * would take it, with valid checksums when the input's were valid ({@link ChecksumRepair}).
 * An exception escaping the code under test fails the fuzz test by itself.
 */
public final class FuzzInvariants
{
    /** Bytes of a fuzz input used as one frame: larger ones are cut (a pool slot holds ~1900). */
    public static final int MAX_FRAME_BYTES = 1800;

    private FuzzInvariants()
    {
    }

    /**
     * received + generated = transmitted + consumed + dropped, over the pipeline's whole life.
     */
    public static void assertCountersAddUp(final Pipeline pipeline)
    {
        final PipelineCounters c = pipeline.counters();
        assertEquals(c.totalReceived() + c.generated(), c.totalTransmitted() + c.consumed() + c.totalDropped(),
            "received + generated = transmitted + consumed + dropped");
    }

    /**
     * @param held frames a stage legitimately keeps (a packet waiting for a neighbour, a held SYN).
     */
    public static void assertNoFrameLeaked(final FramePool pool, final int held)
    {
        assertEquals(pool.capacity() - held, pool.available(), "every frame but the " + held + " held returned to the pool");
        assertEquals(0, pool.invalidReleases(), "no frame released twice or out of range");
    }

    /**
     * An Ethernet frame the gateway sent: a valid Ethernet header, and an ARP packet or an IP
     * packet (after the minimum-size padding is cut off) that passes {@link #assertValidIpPacket}.
     */
    public static void assertValidEthernetFrame(final byte[] frame, final boolean checksums)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        assertNull(EthernetValidator.validate(buffer, 0, frame.length), "Ethernet header");
        final int etherType = (frame[12] & 0xFF) << 8 | frame[13] & 0xFF;
        final int l3 = EthernetFlyweight.HEADER_LENGTH;
        switch (etherType)
        {
            case EthernetFlyweight.ETHERTYPE_ARP:
                assertNull(ArpValidator.validate(buffer, l3, frame.length - l3), "ARP packet");
                return;
            case EthernetFlyweight.ETHERTYPE_IPV4:
            case EthernetFlyweight.ETHERTYPE_IPV6:
                final byte[] packet = Arrays.copyOfRange(frame, l3, frame.length);
                final int ipLength = ipLength(packet);
                assertTrue(ipLength <= packet.length, "IP length " + ipLength + " fits the frame of " + frame.length);
                assertTrue(ipLength == packet.length || frame.length == 60, "only a minimum-size frame is padded");
                assertValidIpPacket(Arrays.copyOf(packet, ipLength), checksums);
                return;
            default:
                throw new AssertionError("the gateway sent EtherType 0x" + Integer.toHexString(etherType));
        }
    }

    /**
     * An IP packet the gateway emitted: the input validators take it, and its checksums verify
     * (when {@code checksums}).
     */
    public static void assertValidIpPacket(final byte[] packet, final boolean checksums)
    {
        assertTrue(packet.length >= 20, "a whole IP header");
        final UnsafeBuffer buffer = new UnsafeBuffer(packet);
        final int version = (packet[0] & 0xF0) >>> 4;
        if (version == 4)
        {
            assertNull(Ipv4Validator.validate(buffer, 0, packet.length), "the IPv4 validator takes it");
        }
        else
        {
            assertEquals(6, version, "IP version");
            assertNull(Ipv6Validator.validate(buffer, 0, packet.length, new Ipv6HeaderChain()),
                "the IPv6 validator takes it");
        }
        assertEquals(packet.length, ipLength(packet), "length fields match the packet");
        if (checksums)
        {
            PacketChecks.assertValidChecksums(packet);
        }
    }

    /**
     * For targets whose testbed has no input stage (a translator straight behind the port): the
     * gateway's own input validation would let this packet through to the stage.
     */
    public static boolean isValidInput(final byte[] packet)
    {
        if (packet.length < 1)
        {
            return false;
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(packet);
        final int version = (packet[0] & 0xF0) >>> 4;
        if (version == 4)
        {
            return Ipv4Validator.validate(buffer, 0, packet.length) == null;
        }
        return version == 6 && Ipv6Validator.validate(buffer, 0, packet.length, new Ipv6HeaderChain()) == null;
    }

    /**
     * What a stage emitted from input the gateway's validation would have refused (garbage in):
     * still a whole IP packet of the right version whose length field matches its bytes.
     */
    public static void assertWholeIpPacket(final byte[] packet)
    {
        assertTrue(packet.length >= 20, "a whole IP header");
        final int version = (packet[0] & 0xF0) >>> 4;
        assertTrue(version == 4 || version == 6, "IP version " + version);
        assertEquals(packet.length, ipLength(packet), "length fields match the packet");
    }

    private static int ipLength(final byte[] packet)
    {
        assertTrue(packet.length >= 20, "a whole IP header");
        final int u16At2 = (packet[2] & 0xFF) << 8 | packet[3] & 0xFF;
        final int u16At4 = packet.length < 6 ? 0 : (packet[4] & 0xFF) << 8 | packet[5] & 0xFF;
        return (packet[0] & 0xF0) == 0x40 ? u16At2 : 40 + u16At4;
    }

    /**
     * @return the input's bytes from {@code offset}, cut to {@link #MAX_FRAME_BYTES}.
     */
    public static byte[] frameBytes(final byte[] input, final int offset)
    {
        if (input.length <= offset)
        {
            return new byte[0];
        }
        return Arrays.copyOfRange(input, offset, Math.min(input.length, offset + MAX_FRAME_BYTES));
    }
}
