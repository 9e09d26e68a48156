package io.sixgate.nat64.stateful;

import java.util.Objects;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.icmp.IcmpErrorFactory;
import io.sixgate.core.icmp.IdentificationGenerator;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.nat64.siit.Siit64DropReason;
import io.sixgate.nat64.siit.Translator64;
import io.sixgate.nat64.state.BibTable;
import io.sixgate.nat64.state.Pool4;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.StateFailure;

/**
 * "nat64-6to4": stateful NAT64 (RFC 6146) for packets from the IPv6 side whose destination is
 * under pool6. The steps, each a unit over one {@link Nat64Xlation}:
 * <ol>
 *   <li>§3.4 {@link IncomingTuple}: the packet's (X', x) -> (Z, z), or its inner packet's;</li>
 *   <li>§3.5 {@link FilteringAndUpdating}: BIB entry and session found or created, lifetimes
 *   refreshed on the packet clock, the TCP state machine stepped;</li>
 *   <li>§3.6 {@link OutgoingTuple}: (T, t) -> (Z, z);</li>
 *   <li>§3.7 the RFC 7915 translator shared with SIIT ({@link Translator64}), reading the
 *   outgoing tuple;</li>
 *   <li>§3.8 hairpinning: a destination inside pool4 goes to {@code nat64-hairpin}, which runs
 *   the 4 to 6 steps on the translated packet.</li>
 * </ol>
 * Every drop is named: {@link Nat64Stateful64DropReason}, {@link StateFailure},
 * {@link Siit64DropReason}. The expiry sweep runs a few slots per packet at most, paced by the
 * packet clock ({@link Nat64Shard#sweep}), so there is never a stall.
 *
 * <p>One instance per worker, sharing the worker's {@link Nat64Shard} with
 * {@link Nat64Stateful46Stage}. {@link #process(int)} allocates nothing and does not throw.
 */
public final class Nat64Stateful64Stage extends Stage
{
    /** The stage's name in the pipeline and in counter labels. */
    public static final String NAME = "nat64-6to4";

    private final FramePool pool;
    private final Nat64Shard shard;
    private final Pool4 pool4;
    private final String ipv4OutputStage;
    private final String ipv6OutputStage;
    private final String hairpinStage;
    private final Nat64Xlation x = new Nat64Xlation();
    private final IncomingTuple incoming;
    private final FilteringAndUpdating filtering;
    private final OutgoingTuple outgoing;
    private final Translator64 translator;
    private final Nat64IcmpSender icmp;
    private final int sweepSlots;

    private int ipv4OutputId;
    private int hairpinId;

    /**
     * @param shard           the worker's state, shared with its {@link Nat64Stateful46Stage}.
     * @param pool            the worker's frame pool.
     * @param ipv4OutputStage the stage that sends IPv4 packets ("ipv4-output").
     * @param ipv6OutputStage the stage that sends IPv6 packets ("ipv6-output"): our ICMPv6 errors.
     * @param hairpinStage    the {@link Nat64Stateful46Stage#hairpin} stage ("nat64-hairpin").
     */
    public Nat64Stateful64Stage(
        final Nat64Shard shard, final FramePool pool, final String ipv4OutputStage, final String ipv6OutputStage,
        final String hairpinStage)
    {
        super(NAME, Nat64Stateful64DropReason.values(), StateFailure.values(), Siit64DropReason.values());
        this.pool = pool;
        this.shard = shard;
        this.pool4 = shard.pool4();
        this.ipv4OutputStage = Objects.requireNonNull(ipv4OutputStage, "ipv4OutputStage");
        this.ipv6OutputStage = Objects.requireNonNull(ipv6OutputStage, "ipv6OutputStage");
        this.hairpinStage = Objects.requireNonNull(hairpinStage, "hairpinStage");
        final IdentificationGenerator identification =
            new IdentificationGenerator((int)System.nanoTime() ^ System.identityHashCode(this));
        this.icmp = new Nat64IcmpSender(pool, shard.config().translator(), identification);
        this.incoming = new IncomingTuple(pool, shard);
        this.filtering = new FilteringAndUpdating(pool, shard, icmp);
        this.outgoing = new OutgoingTuple(shard);
        this.translator = new Translator64(pool, shard.config().translator(), new IcmpErrorFactory(pool),
            identification, x);
        this.sweepSlots = shard.config().sweepSlotsPerPacket();
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        ipv4OutputId = pipeline.stageId(ipv4OutputStage);
        final int ipv6OutputId = pipeline.stageId(ipv6OutputStage);
        hairpinId = pipeline.stageId(hairpinStage);
        translator.link(pipeline, ipv4OutputId, ipv6OutputId);
        icmp.link(pipeline, ipv4OutputId, ipv6OutputId);
    }

    @Override
    public int process(final int frame)
    {
        final long nowNs = pool.timestampNs(frame);
        shard.sweep(nowNs, sweepSlots);
        x.reset(frame, nowNs);

        final Nat64Stateful64DropReason bad = incoming.from6(frame, x);           // RFC 6146 §3.4
        if (bad != null)
        {
            return drop(bad);
        }
        final DropReason refused = filtering.from6(x);                              // RFC 6146 §3.5
        if (refused != null)
        {
            return drop(refused);
        }
        outgoing.compute64(x);                                                      // RFC 6146 §3.6

        final boolean hairpin = pool4.contains(x.outDst4);                          // RFC 6146 §3.8
        if (hairpin && holdsHairpinSyn())
        {
            if (!shard.heldSyns().hold(frame, nowNs + shard.incomingSynHoldNs(), x.outDst4, x.outDstPort,
                x.outSrc4, x.outSrcPort, true))
            {
                return drop(Nat64Stateful64DropReason.HELD_SYN_OVERFLOW);
            }
            return Verdict.CONSUMED;
        }
        final Siit64DropReason failed = translator.translate(frame);               // RFC 6146 §3.7
        if (failed != null)
        {
            return drop(failed);
        }
        return Verdict.next(hairpin ? hairpinId : ipv4OutputId);
    }

    /**
     * RFC 6146 §3.8 with §3.5.2.2: a hairpinned SYN to a pool4 port with no BIB entry (or that
     * filtering refuses) is an unsolicited inbound SYN; it is held as the IPv6 packet it is, so
     * that the Port Unreachable at the end goes back to its IPv6 source.
     */
    private boolean holdsHairpinSyn()
    {
        if (x.icmpError || x.protocol != SessionProtocol.TCP ||
            (x.tcpFlags & (TcpFlyweight.SYN | TcpFlyweight.RST | TcpFlyweight.ACK)) != TcpFlyweight.SYN)
        {
            return false;
        }
        return shard.sessions().findBib4(SessionProtocol.TCP, x.outDst4, x.outDstPort) == BibTable.NOT_FOUND ||
            !shard.filterAllows(SessionProtocol.TCP, x.outDst4, x.outDstPort, x.outSrc4);
    }

    /**
     * @return IPv4 SYNs dropped because the IPv6 SYN of their simultaneous open came.
     */
    public long heldSynsSuperseded()
    {
        return filtering.heldSynsSuperseded();
    }

    public Nat64Shard shard()
    {
        return shard;
    }
}
