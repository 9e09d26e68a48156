package io.sixgate.daemon.config;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The configuration as Jackson binds it: every field nullable so that "absent" is visible,
 * every value still text. Jackson refuses unknown keys and wrong shapes here;
 * {@link ConfigValidator} does the rest and builds the public records.
 */
final class RawConfig
{
    private RawConfig()
    {
    }

    record Gateway(
        Integer workers,
        Integer ingestNice,
        String countersFile,
        FramePool framePool,
        List<Port> ports,
        List<Route> routes,
        List<Neighbour> neighbours,
        Nat64 nat64,
        List<Eip> eip,
        Admin admin,
        Ipv6Gateway ipv6Gateway,
        List<String> vpc,
        List<NetworkAcl> networkAcls,
        List<SecurityGroup> securityGroups,
        ConnectionTracking connectionTracking)
    {
        static final Gateway EMPTY = new Gateway(null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null);
    }

    record FramePool(Integer frames, Integer slotSize)
    {
    }

    record Port(
        String name, String type, String device, String mac, Integer mtu, List<String> addresses, Boolean offload,
        Integer queueLength)
    {
    }

    record Route(String prefix, String via, String port)
    {
    }

    record Neighbour(String address, String mac, String port)
    {
    }

    record Nat64(
        String mode,
        String prefix,
        Boolean wkpGlobalOnly,
        List<Eam> eamt,
        List<String> translateIpv4,
        List<String> rfc6791V4,
        List<String> rfc6791V6,
        Integer lowestIpv6Mtu,
        Boolean amendUdpChecksumZero,
        Boolean zeroizeTrafficClass,
        Boolean icmpErrors,
        List<Pool4> pool4,
        List<StaticBib> staticBib,
        Timeouts timeouts,
        Integer maxSessions,
        Integer maxSessionsPerSource,
        Integer maxSources,
        String filtering,
        String snapshotFile)
    {
    }

    record Eam(String ipv4, String ipv6)
    {
    }

    record Pool4(String address, String prefix, String ports, List<String> protocols)
    {
    }

    record StaticBib(String protocol, String ipv6Address, Integer ipv6Port, String ipv4Address, Integer ipv4Port)
    {
    }

    record Timeouts(String udp, String tcpEstablished, String tcpTransitory, String icmp, String tcpIncomingSyn)
    {
    }

    record Eip(@JsonProperty("public") String publicAddress, @JsonProperty("private") String privateAddress)
    {
    }

    record Admin(String listen, String tokenFile)
    {
    }

    record Ipv6Gateway(
        List<String> vpc,
        String internetPort,
        String udpFiltering,
        Integer maxFlows,
        Integer maxFlowsPerAddress,
        Ipv6GatewayTimeouts timeouts,
        List<Ipv6GatewayAddress> addresses)
    {
    }

    record Ipv6GatewayTimeouts(String tcpEstablished, String tcpTransitory, String udp, String icmp, String other)
    {
    }

    record Ipv6GatewayAddress(String address, String prefix, Integer bandwidthMbps, Long burstBytes, Boolean egressOnly)
    {
    }

    record NetworkAcl(String name, List<String> subnets, List<AclRule> rules)
    {
    }

    record AclRule(Integer priority, String direction, String protocol, String cidr, String ports, String action)
    {
    }

    record SecurityGroup(String name, List<String> members, List<GroupRule> inbound, List<GroupRule> outbound)
    {
    }

    record GroupRule(String protocol, String cidr, String group, String ports)
    {
    }

    record ConnectionTracking(Integer maxFlows, Integer maxFlowsPerAddress)
    {
    }
}
