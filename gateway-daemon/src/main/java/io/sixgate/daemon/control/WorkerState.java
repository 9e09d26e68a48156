package io.sixgate.daemon.control;

import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.egress.Ipv6GatewayStage;
import io.sixgate.egress.acl.NetworkAclStage;
import io.sixgate.egress.acl.SecurityGroupStage;
import io.sixgate.nat64.stateful.Nat64Shard;
import io.sixgate.nat64.stateful.Nat64Stateful64Stage;

import org.agrona.concurrent.NanoClock;

/**
 * What a {@link WorkerCommand} may touch: the worker's pipeline, its stateful NAT64 shard, its
 * IPv6 gateway stage, its VPC filter stages and its clock. Handed only to commands, and only on the worker thread.
 */
public final class WorkerState
{
    private final int workerId;
    private final Pipeline pipeline;
    private final Nat64Shard shard;
    private final Ipv6GatewayStage ipv6Gateway;
    private final NetworkAclStage networkAcl;
    private final SecurityGroupStage securityGroup;
    private final NanoClock clock;

    /**
     * @param clock the worker's clock (the one its frames are stamped with).
     */
    public WorkerState(final int workerId, final Pipeline pipeline, final NanoClock clock)
    {
        this.workerId = workerId;
        this.pipeline = pipeline;
        this.clock = clock;
        this.shard = pipeline.hasStage(Nat64Stateful64Stage.NAME)
            && pipeline.stage(Nat64Stateful64Stage.NAME) instanceof Nat64Stateful64Stage
            ? ((Nat64Stateful64Stage)pipeline.stage(Nat64Stateful64Stage.NAME)).shard() : null;
        this.ipv6Gateway = pipeline.hasStage(Ipv6GatewayStage.NAME)
            && pipeline.stage(Ipv6GatewayStage.NAME) instanceof Ipv6GatewayStage
            ? (Ipv6GatewayStage)pipeline.stage(Ipv6GatewayStage.NAME) : null;
        this.networkAcl = pipeline.hasStage(NetworkAclStage.NAME)
            && pipeline.stage(NetworkAclStage.NAME) instanceof NetworkAclStage
            ? (NetworkAclStage)pipeline.stage(NetworkAclStage.NAME) : null;
        this.securityGroup = pipeline.hasStage(SecurityGroupStage.NAME)
            && pipeline.stage(SecurityGroupStage.NAME) instanceof SecurityGroupStage
            ? (SecurityGroupStage)pipeline.stage(SecurityGroupStage.NAME) : null;
    }

    public int workerId()
    {
        return workerId;
    }

    public Pipeline pipeline()
    {
        return pipeline;
    }

    /**
     * @return the stateful NAT64 shard, or {@code null} when the pipeline has no stateful NAT64.
     */
    public Nat64Shard shard()
    {
        return shard;
    }

    /**
     * @return the IPv6 gateway stage (policy and egress-only flows), or {@code null} when the
     * pipeline has none.
     */
    public Ipv6GatewayStage ipv6Gateway()
    {
        return ipv6Gateway;
    }

    /**
     * @return the network ACL stage, or {@code null} when the pipeline has none.
     */
    public NetworkAclStage networkAcl()
    {
        return networkAcl;
    }

    /**
     * @return the security group stage (groups and tracked flows), or {@code null} when the
     * pipeline has none.
     */
    public SecurityGroupStage securityGroup()
    {
        return securityGroup;
    }

    /**
     * @return the worker's time, as its session deadlines are written.
     */
    public long nowNs()
    {
        return clock.nanoTime();
    }
}
