package io.sixgate.nat64.stateful;

import java.util.Objects;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.icmp.IcmpErrorFactory;
import io.sixgate.core.icmp.IdentificationGenerator;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.nat64.siit.Siit46DropReason;
import io.sixgate.nat64.siit.Translator46;
import io.sixgate.nat64.state.StateFailure;

/**
 * "nat64-4to6": stateful NAT64 (RFC 6146) for packets from the IPv4 side whose destination is a
 * pool4 address; and, built with {@link #hairpin}, "nat64-hairpin": the same steps for the IPv4
 * form of a packet {@link Nat64Stateful64Stage} hairpinned (RFC 6146 §3.8: "as if it came from
 * the IPv4 side"), whose TTL is not decremented twice.
 * <ol>
 *   <li>§3.4 {@link IncomingTuple}: (Z, z) -> (T, t), or the inner packet's, reversed;</li>
 *   <li>§3.5 {@link FilteringAndUpdating}: endpoint-independent or address-dependent filtering,
 *   sessions created on BIB entries, unsolicited SYNs held (§3.5.2.2);</li>
 *   <li>§3.6 {@link OutgoingTuple}: (Pref64::Z, z) -> (X', x);</li>
 *   <li>§3.7 the RFC 7915 translator shared with SIIT ({@link Translator46}).</li>
 * </ol>
 * The "nat64-4to6" stage also owns the clock-driven work of its shard: the expiry sweep when
 * idle ({@link #onTick(long)}) and the held SYNs whose {@code TCP_INCOMING_SYN} ran out, answered
 * with ICMP Port Unreachable (ICMPv6 for a hairpinned one).
 *
 * <p>One instance of each per worker. {@link #process(int)} allocates nothing and does not throw.
 */
public final class Nat64Stateful46Stage extends Stage
{
    /** The stage's name in the pipeline and in counter labels. */
    public static final String NAME = "nat64-4to6";

    /** The name of the hairpinning instance. */
    public static final String HAIRPIN_NAME = "nat64-hairpin";

    private final FramePool pool;
    private final Nat64Shard shard;
    private final HeldSynQueue held;
    private final boolean hairpin;
    private final String ipv4OutputStage;
    private final String ipv6OutputStage;
    private final Nat64Xlation x = new Nat64Xlation();
    private final IncomingTuple incoming;
    private final FilteringAndUpdating filtering;
    private final OutgoingTuple outgoing;
    private final Translator46 translator;
    private final Nat64IcmpSender icmp;
    private final int sweepSlotsPerPacket;
    private final int sweepSlotsPerTick;

    private int ipv6OutputId;
    private long heldSynsExpired;
    private long clockNs;

    /**
     * "nat64-4to6".
     *
     * @param shard           the worker's state, shared with its {@link Nat64Stateful64Stage}.
     * @param pool            the worker's frame pool.
     * @param ipv6OutputStage the stage that sends IPv6 packets ("ipv6-output").
     * @param ipv4OutputStage the stage that sends IPv4 packets ("ipv4-output"): our ICMPv4 errors.
     */
    public Nat64Stateful46Stage(
        final Nat64Shard shard, final FramePool pool, final String ipv6OutputStage, final String ipv4OutputStage)
    {
        this(NAME, false, shard, pool, ipv6OutputStage, ipv4OutputStage);
    }

    /**
     * "nat64-hairpin": RFC 6146 §3.8 for {@link Nat64Stateful64Stage}.
     */
    public static Nat64Stateful46Stage hairpin(
        final Nat64Shard shard, final FramePool pool, final String ipv6OutputStage, final String ipv4OutputStage)
    {
        return new Nat64Stateful46Stage(HAIRPIN_NAME, true, shard, pool, ipv6OutputStage, ipv4OutputStage);
    }

    private Nat64Stateful46Stage(
        final String name, final boolean hairpin, final Nat64Shard shard, final FramePool pool,
        final String ipv6OutputStage, final String ipv4OutputStage)
    {
        super(name, Nat64Stateful46DropReason.values(), StateFailure.values(), Siit46DropReason.values());
        this.pool = pool;
        this.shard = shard;
        this.held = shard.heldSyns();
        this.hairpin = hairpin;
        this.ipv4OutputStage = Objects.requireNonNull(ipv4OutputStage, "ipv4OutputStage");
        this.ipv6OutputStage = Objects.requireNonNull(ipv6OutputStage, "ipv6OutputStage");
        final IdentificationGenerator identification =
            new IdentificationGenerator((int)System.nanoTime() ^ System.identityHashCode(this));
        this.icmp = new Nat64IcmpSender(pool, shard.config().translator(), identification);
        this.incoming = new IncomingTuple(pool, shard);
        this.filtering = new FilteringAndUpdating(pool, shard, icmp);
        this.outgoing = new OutgoingTuple(shard);
        this.translator = new Translator46(pool, shard.config().translator(), new IcmpErrorFactory(pool),
            identification, x);
        this.sweepSlotsPerPacket = shard.config().sweepSlotsPerPacket();
        this.sweepSlotsPerTick = shard.config().sweepSlotsPerTick();
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        final int ipv4OutputId = pipeline.stageId(ipv4OutputStage);
        ipv6OutputId = pipeline.stageId(ipv6OutputStage);
        translator.link(pipeline, ipv4OutputId, ipv6OutputId);
        icmp.link(pipeline, ipv4OutputId, ipv6OutputId);
    }

    @Override
    public int process(final int frame)
    {
        final long nowNs = pool.timestampNs(frame);
        clockNs = Math.max(clockNs, nowNs);
        if (!hairpin)
        {
            shard.sweep(nowNs, sweepSlotsPerPacket);
            expireHeldSyns(nowNs);
        }
        x.reset(frame, nowNs);

        final Nat64Stateful46DropReason bad = incoming.from4(frame, x, hairpin);  // RFC 6146 §3.4
        if (bad != null)
        {
            return drop(bad);
        }
        final DropReason refused = filtering.from4(x);                              // RFC 6146 §3.5
        if (refused != null)
        {
            return drop(refused);
        }
        if (x.consumed)
        {
            return Verdict.CONSUMED;                                                // §3.5.2.2 held SYN
        }
        outgoing.compute46(x);                                                      // RFC 6146 §3.6
        // RFC 6146 §3.7; the header checksum was checked by the incoming tuple (or is ours, hairpin).
        final Siit46DropReason failed = translator.translate(frame, hairpin, true);
        return failed == null ? Verdict.next(ipv6OutputId) : drop(failed);
    }

    @Override
    public int onTick(final long nowNs)
    {
        if (hairpin)
        {
            return 0;
        }
        clockNs = Math.max(clockNs, nowNs);
        return shard.sweep(nowNs, sweepSlotsPerTick) + expireHeldSyns(nowNs);
    }

    /**
     * RFC 6146 §3.5.2.2: a held SYN whose TCP_INCOMING_SYN ran out without an IPv6 SYN is
     * answered with ICMP Port Unreachable and released.
     */
    private int expireHeldSyns(final long nowNs)
    {
        int work = 0;
        int slot;
        while ((slot = held.nextExpired(nowNs)) != HeldSynQueue.NOT_FOUND)
        {
            final boolean ipv6 = held.isIpv6(slot);
            final int frame = held.take(slot);
            if (ipv6)
            {
                icmp.unreachable6(frame, 4);
            }
            else
            {
                icmp.portUnreachable4(frame);
            }
            pool.release(frame);
            heldSynsExpired++;
            work++;
        }
        return work;
    }

    /**
     * @return held SYNs answered with Port Unreachable.
     */
    public long heldSynsExpired()
    {
        return heldSynsExpired;
    }

    /**
     * @return the latest packet clock this stage saw (for tools, e.g. a session dump).
     */
    public long clockNs()
    {
        return clockNs;
    }

    public Nat64Shard shard()
    {
        return shard;
    }
}
