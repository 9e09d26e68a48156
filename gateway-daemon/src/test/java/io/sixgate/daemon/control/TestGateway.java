package io.sixgate.daemon.control;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.pipeline.GatewayPipelineFactory;
import io.sixgate.daemon.port.SocketPair;
import io.sixgate.daemon.port.Wire;
import io.sixgate.daemon.run.GatewayDaemon;

/**
 * The whole daemon on socket pairs (no root), with stateful NAT64 and its control plane, for
 * the control-plane, admin API and {@code sixgate ctl} tests. IPv6 clients on the Internet side
 * reach the IPv4 instance 10.0.1.5 in the VPC at its IPv6 EIP 64:ff9b::203.0.113.5; pool4
 * 198.51.100.10 ports 40000-40100.
 */
public final class TestGateway implements AutoCloseable
{
    public static final long VPC_PORT_MAC = 0x02_53_47_00_00_01L;
    public static final long INTERNET_PORT_MAC = 0x02_53_47_00_00_02L;
    public static final long VPC_HOST_MAC = 0x02_53_47_00_01_10L;
    public static final long INTERNET_HOST_MAC = 0x02_53_47_00_02_10L;

    public static final String CLIENT = "2001:db8:ffff::7";
    public static final String OTHER_CLIENT = "2001:db8:ffff::8";
    public static final String EIP6 = "64:ff9b::cb00:7105";
    public static final String INSTANCE = "10.0.1.5";
    public static final String POOL4 = "198.51.100.10";
    public static final String VPC_HOST6 = "2001:db8:0:1::10";

    /** The base configuration; {@code %DIR%} becomes the test's directory. */
    public static final String BASE = String.join("\n",
        "counters-file: %DIR%/counters.dat",
        "frame-pool: {frames: 2048}",
        "ports:",
        "  - {name: vpc, type: tap, mac: \"02:53:47:00:00:01\", addresses: [\"2001:db8:0:1::1/64\", 10.0.1.1/24]}",
        "  - {name: internet, type: tap, mac: \"02:53:47:00:00:02\","
            + " addresses: [\"2001:db8:ffff::1/64\", 198.51.100.1/24]}",
        "neighbours:",
        "  - {address: \"2001:db8:0:1::10\", mac: \"02:53:47:00:01:10\", port: vpc}",
        "  - {address: 10.0.1.5, mac: \"02:53:47:00:01:10\", port: vpc}",
        "  - {address: 10.0.1.9, mac: \"02:53:47:00:01:10\", port: vpc}",
        "  - {address: \"2001:db8:ffff::7\", mac: \"02:53:47:00:02:10\", port: internet}",
        "  - {address: \"2001:db8:ffff::8\", mac: \"02:53:47:00:02:10\", port: internet}",
        "  - {address: \"2001:db8:ffff::10\", mac: \"02:53:47:00:02:10\", port: internet}",
        "  - {address: \"2001:db8:ffff::80\", mac: \"02:53:47:00:02:10\", port: internet}",
        "nat64:",
        "  mode: stateful",
        "  prefix: \"64:ff9b::/96\"",
        "  wkp-global-only: false",
        "  pool4: [{address: 198.51.100.10, ports: 40000-40100}]",
        "eip:",
        "  - {public: 203.0.113.5, private: 10.0.1.5}",
        "");

    private final Path dir;
    private final Path configFile;
    private final SocketPair vpc = SocketPair.open();
    private final SocketPair internet = SocketPair.open();
    private final Wire vpcHost = new Wire(vpc.wireSide());
    private final Wire internetHost = new Wire(internet.wireSide());
    private GatewayDaemon daemon;
    private ControlPlane control;

    private TestGateway(final Path dir)
    {
        this.dir = dir;
        this.configFile = dir.resolve("gw.yaml");
    }

    /**
     * Starts the gateway on {@link #BASE} plus {@code moreYaml} (more top-level keys).
     */
    public static TestGateway start(final Path dir, final String moreYaml) throws Exception
    {
        return startWith(dir, BASE + moreYaml);
    }

    /**
     * Starts the gateway on a whole configuration of the same two ports.
     */
    public static TestGateway startWith(final Path dir, final String yaml) throws Exception
    {
        final TestGateway gateway = new TestGateway(dir);
        try
        {
            gateway.writeConfig(yaml);
            gateway.daemon = GatewayDaemon.start(ConfigLoader.load(gateway.configFile), new GatewayPipelineFactory(),
                port -> port.name().equals("vpc") ? gateway.vpc.device(port, "socket pair vpc")
                    : gateway.internet.device(port, "socket pair internet"));
            gateway.control = new ControlPlane(gateway.configFile, gateway.daemon.config(),
                gateway.daemon.workerCommands(), gateway.daemon.steering(), gateway.daemon.countersReader(),
                gateway.daemon.startTimeMs());
            return gateway;
        }
        catch (final Exception | Error ex)
        {
            gateway.close();
            throw ex;
        }
    }

    public static TestGateway start(final Path dir) throws Exception
    {
        return start(dir, "");
    }

    /**
     * Replaces the configuration file (for reloads); {@code %DIR%} becomes the test's directory.
     */
    public void writeConfig(final String yaml) throws IOException
    {
        Files.writeString(configFile, yaml.replace("%DIR%", dir.toString()));
    }

    public Path configFile()
    {
        return configFile;
    }

    public Path countersFile()
    {
        return dir.resolve("counters.dat");
    }

    public GatewayDaemon daemon()
    {
        return daemon;
    }

    public ControlPlane control()
    {
        return control;
    }

    public Wire vpcHost()
    {
        return vpcHost;
    }

    public Wire internetHost()
    {
        return internetHost;
    }

    /** An IPv6 client on the Internet side sends UDP to the instance's IPv6 EIP. */
    public static byte[] clientToEip(final String client, final int clientPort, final int dstPort)
    {
        return PacketBuilder.ipv6(client, EIP6).udp(clientPort, dstPort).payload(20)
            .ethernet(INTERNET_PORT_MAC, INTERNET_HOST_MAC).build();
    }

    /** The instance answers to a pool4 port. */
    public static byte[] instanceToPool4(final int srcPort, final int pool4Port)
    {
        return PacketBuilder.ipv4(INSTANCE, POOL4).udp(srcPort, pool4Port).payload(20)
            .ethernet(VPC_PORT_MAC, VPC_HOST_MAC).build();
    }

    /** An IPv6 host in the VPC sends UDP to a destination routed (or not) towards the Internet. */
    public static byte[] vpcHostTo(final String destination)
    {
        return PacketBuilder.ipv6(VPC_HOST6, destination).udp(40000, 53).payload(20)
            .ethernet(VPC_PORT_MAC, VPC_HOST_MAC).build();
    }

    /**
     * Sends a frame from the Internet side and returns what comes out of the VPC side.
     */
    public byte[] fromInternet(final byte[] frame) throws Exception
    {
        assertTrue(internetHost.send(frame));
        final byte[] out = vpcHost.receive(5000);
        assertNotNull(out, "a frame came out of port vpc");
        return out;
    }

    /**
     * Sends a frame from the VPC side and returns what comes out of the Internet side, or {@code null}.
     */
    public byte[] fromVpc(final byte[] frame, final long timeoutMs) throws Exception
    {
        assertTrue(vpcHost.send(frame));
        return internetHost.receive(timeoutMs);
    }

    /** Big-endian 16 bits of a frame. */
    public static int u16(final byte[] frame, final int offset)
    {
        return (frame[offset] & 0xFF) << 8 | frame[offset + 1] & 0xFF;
    }

    @Override
    public void close() throws IOException
    {
        if (daemon != null)
        {
            daemon.close();
        }
        vpc.close();
        internet.close();
    }
}
