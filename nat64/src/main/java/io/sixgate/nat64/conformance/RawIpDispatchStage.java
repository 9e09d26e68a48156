package io.sixgate.nat64.conformance;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;

/**
 * A minimal entry stage for RAW ports (frames that start at the IP header): sends IPv4 to one
 * stage and IPv6 to another by the version nibble. The conformance runner's stand-in for the
 * daemon's l2-input / ip-input stages, which replace it by name ({@link #NAME}).
 */
public final class RawIpDispatchStage extends Stage
{
    /** Default name. */
    public static final String NAME = "raw-ip-input";

    /** Why a frame was not dispatched. */
    public enum Reason implements DropReason
    {
        /** The frame has no bytes. */
        EMPTY_FRAME("empty-frame"),
        /** The version nibble is neither 4 nor 6. */
        UNKNOWN_IP_VERSION("unknown-ip-version");

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

    private final FramePool pool;
    private final String ipv4Stage;
    private final String ipv6Stage;
    private int ipv4StageId;
    private int ipv6StageId;

    /**
     * @param name      this stage's name.
     * @param pool      the frame pool.
     * @param ipv4Stage where IPv4 packets go.
     * @param ipv6Stage where IPv6 packets go.
     */
    public RawIpDispatchStage(final String name, final FramePool pool, final String ipv4Stage, final String ipv6Stage)
    {
        super(name, Reason.values());
        this.pool = pool;
        this.ipv4Stage = ipv4Stage;
        this.ipv6Stage = ipv6Stage;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        ipv4StageId = pipeline.stageId(ipv4Stage);
        ipv6StageId = pipeline.stageId(ipv6Stage);
    }

    @Override
    public int process(final int frame)
    {
        if (pool.length(frame) < 1)
        {
            return drop(Reason.EMPTY_FRAME);
        }
        final int offset = pool.offset(frame);
        pool.l3Offset(frame, offset);
        switch ((pool.buffer().getByte(offset) & 0xF0) >>> 4)
        {
            case 4:
                return Verdict.next(ipv4StageId);
            case 6:
                return Verdict.next(ipv6StageId);
            default:
                return drop(Reason.UNKNOWN_IP_VERSION);
        }
    }
}
