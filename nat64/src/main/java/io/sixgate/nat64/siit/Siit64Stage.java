package io.sixgate.nat64.siit;

import java.util.Objects;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.icmp.IcmpErrorFactory;
import io.sixgate.core.icmp.IdentificationGenerator;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;

/**
 * "siit-6to4": the stateless IPv6 to IPv4 translator (RFC 7915 §5, with RFC 7757 EAM and
 * RFC 6791 error sources). Receives frames that start at an IPv6 header; sends the translated
 * IPv4 packet to the IPv4 output stage, or drops it with a {@link Siit64DropReason}. The ICMPv6
 * errors it originates, and packets hairpinned back to the IPv6 side (RFC 7757 §4.2), go to the
 * IPv6 output stage; extra IPv4 fragments to the IPv4 output stage.
 *
 * <p>One instance per worker. {@link #process(int)} allocates nothing and does not throw.
 */
public final class Siit64Stage extends Stage
{
    /** The stage's name in the pipeline and in counter labels. */
    public static final String NAME = "siit-6to4";

    private final String ipv4OutputStage;
    private final String ipv6OutputStage;
    private final Translator64 translator;

    private int ipv4OutputId;
    private int ipv6OutputId;

    /**
     * @param config          translator settings.
     * @param pool            the worker's frame pool (ICMPv6 errors and fragments come from it).
     * @param ipv4OutputStage name of the stage that sends IPv4 packets (the daemon's "ipv4-output").
     * @param ipv6OutputStage name of the stage that sends IPv6 packets (the daemon's "ipv6-output").
     */
    public Siit64Stage(
        final TranslatorConfig config, final FramePool pool, final String ipv4OutputStage, final String ipv6OutputStage)
    {
        super(NAME, Siit64DropReason.values());
        this.ipv4OutputStage = Objects.requireNonNull(ipv4OutputStage, "ipv4OutputStage");
        this.ipv6OutputStage = Objects.requireNonNull(ipv6OutputStage, "ipv6OutputStage");
        this.translator = new Translator64(pool, config, new IcmpErrorFactory(pool),
            new IdentificationGenerator((int)System.nanoTime() ^ System.identityHashCode(this)));
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        ipv4OutputId = pipeline.stageId(ipv4OutputStage);
        ipv6OutputId = pipeline.stageId(ipv6OutputStage);
        translator.link(pipeline, ipv4OutputId, ipv6OutputId);
    }

    @Override
    public int process(final int frame)
    {
        final Siit64DropReason reason = translator.translate(frame);
        if (reason != null)
        {
            return drop(reason);
        }
        return Verdict.next(translator.hairpinned() ? ipv6OutputId : ipv4OutputId);
    }
}
