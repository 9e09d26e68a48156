package io.sixgate.daemon.replay;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.TxSink;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.pipeline.PipelineFactory;
import io.sixgate.daemon.pipeline.WorkerSlot;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

/**
 * A stand-in for the gateway's pipeline in replay tests: one stage that forwards every IP
 * packet to the next port (or to one fixed port), re-framing between Ethernet and raw IP, and
 * decrementing the TTL / hop limit. Special cases by TTL / hop limit, so tests can aim at every
 * verdict:
 * <ul>
 *   <li>0 or 1: dropped, {@code test-forward/hop-limit-exceeded};</li>
 *   <li>255: answered: a copy goes back out of the receiving port (generated) and the frame is consumed;</li>
 *   <li>254: held: consumed and never released, as a queue waiting for a neighbour would;</li>
 *   <li>not IPv4 or IPv6: dropped, {@code test-forward/not-ip}.</li>
 * </ul>
 */
public final class ForwardingTestFactory implements PipelineFactory
{
    public static final String STAGE_NAME = "test-forward";

    public enum Reason implements DropReason
    {
        NOT_IP("not-ip"),
        HOP_LIMIT_EXCEEDED("hop-limit-exceeded");

        private final String label;

        Reason(final String label)
        {
            this.label = label;
        }

        @Override
        public String label()
        {
            return label;
        }
    }

    /** The MAC the stage writes as destination when it adds an Ethernet header. */
    public static final byte[] NEXT_HOP_MAC = {2, 0, 0, 0, 0, 0x55};

    private final String fixedOutputPort;

    /**
     * Forwards frames from port {@code i} to port {@code (i + 1) % ports}.
     */
    public ForwardingTestFactory()
    {
        this(null);
    }

    /**
     * @param fixedOutputPort sends every forwarded frame to this port.
     */
    public ForwardingTestFactory(final String fixedOutputPort)
    {
        this.fixedOutputPort = fixedOutputPort;
    }

    @Override
    public Pipeline create(final GatewayConfig config, final Port[] ports, final FramePool pool, final TxSink txSink,
        final CountersManager countersManager, final WorkerSlot worker)
    {
        final Pipeline.Builder builder = Pipeline.builder().pool(pool).txSink(txSink).stage(new ForwardStage(pool, ports));
        for (final Port port : ports)
        {
            builder.port(port, STAGE_NAME);
        }
        return builder.build(countersManager, worker.index());
    }

    private final class ForwardStage extends Stage
    {
        private final FramePool pool;
        private final Port[] ports;
        private Pipeline pipeline;
        private int fixedOutput = -1;

        ForwardStage(final FramePool pool, final Port[] ports)
        {
            super(STAGE_NAME, Reason.values());
            this.pool = pool;
            this.ports = ports;
        }

        @Override
        public void link(final Pipeline pipeline)
        {
            this.pipeline = pipeline;
            if (fixedOutputPort != null)
            {
                fixedOutput = pipeline.portId(fixedOutputPort);
            }
        }

        @Override
        public int process(final int frame)
        {
            final UnsafeBuffer buffer = pool.buffer();
            final int inPort = pool.port(frame);
            int l3 = pool.offset(frame);
            if (ports[inPort].linkType() == LinkType.ETHERNET)
            {
                final int etherType = buffer.getShort(l3 + 12, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
                if (etherType != TestFrames.ETHERTYPE_IPV4 && etherType != TestFrames.ETHERTYPE_IPV6)
                {
                    return drop(Reason.NOT_IP);
                }
                l3 += TestFrames.ETHERNET_HEADER;
            }
            final int version = (buffer.getByte(l3) & 0xF0) >>> 4;
            if (version != 4 && version != 6)
            {
                return drop(Reason.NOT_IP);
            }
            final int hopLimitOffset = l3 + (version == 4 ? 8 : 7);
            final int hopLimit = buffer.getByte(hopLimitOffset) & 0xFF;
            if (hopLimit <= 1)
            {
                return drop(Reason.HOP_LIMIT_EXCEEDED);
            }
            if (hopLimit == 254)
            {
                return Verdict.CONSUMED;
            }
            if (hopLimit == 255)
            {
                final int copy = pool.allocateCopy(pool.copyOut(frame), 0, pool.length(frame));
                pool.timestampNs(copy, pool.timestampNs(frame));
                pipeline.emit(copy, Verdict.tx(inPort));
                pool.release(frame);
                return Verdict.CONSUMED;
            }
            buffer.putByte(hopLimitOffset, (byte)(hopLimit - 1));

            final int outPort = fixedOutput >= 0 ? fixedOutput : (inPort + 1) % ports.length;
            final LinkType in = ports[inPort].linkType();
            final LinkType out = ports[outPort].linkType();
            if (in == LinkType.ETHERNET && out == LinkType.RAW)
            {
                pool.adjustHead(frame, TestFrames.ETHERNET_HEADER);
            }
            else if (in == LinkType.RAW && out == LinkType.ETHERNET)
            {
                pool.adjustHead(frame, -TestFrames.ETHERNET_HEADER);
                final int start = pool.offset(frame);
                buffer.putBytes(start, NEXT_HOP_MAC);
                final long mac = ports[outPort].mac();
                for (int i = 0; i < 6; i++)
                {
                    buffer.putByte(start + 6 + i, (byte)(mac >>> (40 - 8 * i)));
                }
                buffer.putShort(start + 12,
                    (short)(version == 4 ? TestFrames.ETHERTYPE_IPV4 : TestFrames.ETHERTYPE_IPV6),
                    java.nio.ByteOrder.BIG_ENDIAN);
            }
            return Verdict.tx(outPort);
        }
    }
}
