package io.sixgate.nat64.siit;

import java.util.Objects;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.icmp.IcmpErrorFactory;
import io.sixgate.core.icmp.IdentificationGenerator;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;

/**
 * "siit-4to6": the stateless IPv4 to IPv6 translator (RFC 7915 §4, with RFC 7757 EAM and
 * RFC 6791 error sources). Receives frames that start at an IPv4 header; sends the translated
 * IPv6 packet (and any further fragments, RFC 7915 §4.1) to the IPv6 output stage, or drops it
 * with a {@link Siit46DropReason}. The ICMPv4 errors it originates go to the IPv4 output stage.
 *
 * <p>One instance per worker. {@link #process(int)} allocates nothing and does not throw.
 */
public final class Siit46Stage extends Stage
{
    /** The stage's name in the pipeline and in counter labels. */
    public static final String NAME = "siit-4to6";

    private final String ipv4OutputStage;
    private final String ipv6OutputStage;
    private final Translator46 translator;

    private int ipv6OutputId;

    /**
     * @param config          translator settings.
     * @param pool            the worker's frame pool (ICMPv4 errors and fragments come from it).
     * @param ipv6OutputStage name of the stage that sends IPv6 packets (the daemon's "ipv6-output").
     * @param ipv4OutputStage name of the stage that sends IPv4 packets (the daemon's "ipv4-output").
     */
    public Siit46Stage(
        final TranslatorConfig config, final FramePool pool, final String ipv6OutputStage, final String ipv4OutputStage)
    {
        super(NAME, Siit46DropReason.values());
        this.ipv4OutputStage = Objects.requireNonNull(ipv4OutputStage, "ipv4OutputStage");
        this.ipv6OutputStage = Objects.requireNonNull(ipv6OutputStage, "ipv6OutputStage");
        this.translator = new Translator46(pool, config, new IcmpErrorFactory(pool),
            new IdentificationGenerator((int)System.nanoTime() ^ System.identityHashCode(this)));
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        ipv6OutputId = pipeline.stageId(ipv6OutputStage);
        translator.link(pipeline, pipeline.stageId(ipv4OutputStage), ipv6OutputId);
    }

    @Override
    public int process(final int frame)
    {
        final Siit46DropReason reason = translator.translate(frame, false);
        return reason == null ? Verdict.next(ipv6OutputId) : drop(reason);
    }
}
