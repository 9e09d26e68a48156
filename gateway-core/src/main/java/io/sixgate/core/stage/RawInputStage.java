package io.sixgate.core.stage;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;

/**
 * Entry stage of RAW ports (TUN devices, LINKTYPE_RAW captures): the frame is an IP
 * packet, its version nibble picks {@link StageNames#IPV4_INPUT} or {@link StageNames#IPV6_INPUT}.
 */
public final class RawInputStage extends Stage
{
    public enum Reason implements DropReason
    {
        /** Zero-length frame. */
        EMPTY_FRAME("empty-frame"),
        /** Version nibble is neither 4 nor 6. */
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
    private int ipv4Input;
    private int ipv6Input;

    public RawInputStage(final FramePool pool)
    {
        super(StageNames.RAW_INPUT, Reason.values());
        this.pool = pool;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        ipv4Input = pipeline.stageId(StageNames.IPV4_INPUT);
        ipv6Input = pipeline.stageId(StageNames.IPV6_INPUT);
    }

    @Override
    public int process(final int frame)
    {
        if (pool.length(frame) == 0)
        {
            return drop(Reason.EMPTY_FRAME);
        }
        final int offset = pool.offset(frame);
        pool.l3Offset(frame, offset);
        switch ((pool.buffer().getByte(offset) & 0xF0) >>> 4)
        {
            case 4:
                return Verdict.next(ipv4Input);
            case 6:
                return Verdict.next(ipv6Input);
            default:
                return drop(Reason.UNKNOWN_IP_VERSION);
        }
    }
}
