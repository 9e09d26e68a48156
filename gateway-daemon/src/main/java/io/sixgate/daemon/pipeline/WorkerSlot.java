package io.sixgate.daemon.pipeline;

import io.sixgate.daemon.steer.FlowSteering;
import io.sixgate.daemon.steer.StaticBibPlacement;
import io.sixgate.nat64.state.PortPartition;

/**
 * Which of the daemon's workers a pipeline is built for, and what the workers share: the
 * steering that sends each flow to one worker (so a worker's state is sized and placed by it).
 * Per worker, from {@link GatewayPipelineFactory}:
 * <ul>
 *   <li>state caps that are totals in the configuration ({@code nat64.max-sessions},
 *   {@code ipv6-gateway.max-flows}) are split evenly, {@link #share(int)} each, rounded up;</li>
 *   <li>pool4 is partitioned by port ({@link #partition()});</li>
 *   <li>a static BIB entry is held by the worker its IPv6 side steers to, and its pool4 port is
 *   reserved on the port's owner ({@link StaticBibPlacement});</li>
 *   <li>worker 0 answers ARP and Neighbor Solicitations for the gateway's own addresses, every
 *   worker learns from them ({@link #answersNeighbourRequests()}).</li>
 * </ul>
 *
 * @param index    this worker, 0 to {@code count - 1}.
 * @param count    how many workers run.
 * @param steering the daemon's steering (its worker count is {@code count}).
 */
public record WorkerSlot(int index, int count, FlowSteering steering)
{
    /** The only worker: replay, tests, {@code workers: 1}. */
    public static final WorkerSlot SINGLE = new WorkerSlot(0, 1, FlowSteering.SINGLE);

    public WorkerSlot
    {
        if (count < 1 || index < 0 || index >= count || steering == null || steering.workers() != count)
        {
            throw new IllegalArgumentException("worker " + index + " of " + count + " with a steering for "
                + (steering == null ? "nothing" : steering.workers() + " workers"));
        }
    }

    /**
     * @return this worker's share of a total, rounded up (so the shares add up to at least it).
     */
    public int share(final int total)
    {
        return (int)(((long)total + count - 1) / count);
    }

    /**
     * @return the part of pool4 this worker's NAT64 shard hands out.
     */
    public PortPartition partition()
    {
        return new PortPartition(index, count);
    }

    /**
     * @return where static BIB entries live among the workers.
     */
    public StaticBibPlacement placement()
    {
        return new StaticBibPlacement(steering);
    }

    /**
     * @return whether this worker replies to ARP requests and Neighbor Solicitations for the
     * gateway's addresses: worker 0 only, since each worker gets a copy of them.
     */
    public boolean answersNeighbourRequests()
    {
        return index == 0;
    }
}
