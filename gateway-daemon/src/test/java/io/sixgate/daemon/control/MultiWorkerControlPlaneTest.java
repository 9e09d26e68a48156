package io.sixgate.daemon.control;

import static io.sixgate.daemon.control.TestGateway.INSTANCE;
import static io.sixgate.daemon.control.TestGateway.POOL4;
import static io.sixgate.daemon.control.TestGateway.clientToEip;
import static io.sixgate.daemon.control.TestGateway.instanceToPool4;
import static io.sixgate.daemon.control.TestGateway.u16;
import static io.sixgate.daemon.control.TestGateway.vpcHostTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.daemon.config.IpAddress;
import io.sixgate.daemon.steer.FlowSteering;
import io.sixgate.nat64.state.PortPartition;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.stateful.StaticBibEntry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane of a daemon with two workers (socket pairs, no root): listings come from
 * both and are merged, changes reach both, a static BIB entry works on the worker its server
 * steers to, and a reload that one worker refuses changes neither.
 */
class MultiWorkerControlPlaneTest
{
    private static final String SERVER6 = "2001:db8:ffff::80";
    private static final String TWO_WORKERS = "workers: 2\n";

    @TempDir
    Path dir;

    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception
    {
        if (gateway != null)
        {
            gateway.close();
        }
    }

    private FlowSteering steering()
    {
        return gateway.daemon().steering();
    }

    private int home(final String ipv6)
    {
        return steering().ipv6Home(PacketBuilder.ipv6High(ipv6), PacketBuilder.ipv6Low(ipv6));
    }

    private static String client(final int i)
    {
        return "2001:db8:ffff::" + Integer.toHexString(0x100 + i);
    }

    /** A client address whose home is {@code worker}. */
    private String clientOf(final int worker)
    {
        for (int i = 0; ; i++)
        {
            if (home(client(i)) == worker)
            {
                return client(i);
            }
        }
    }

    /** Opens a UDP session client -> EIP and returns its pool4 port. */
    private int openSession(final String client, final int clientPort) throws Exception
    {
        final byte[] out = gateway.fromInternet(clientToEip(client, clientPort, 53));
        return u16(out, 14 + 20);
    }

    @Test
    void sessionsOfBothWorkersAreListedTogetherSortedAndCounted() throws Exception
    {
        gateway = TestGateway.start(dir, TWO_WORKERS);
        for (int i = 0; i < 16; i++)
        {
            final int pool4Port = openSession(client(i), 50000);
            assertEquals(home(client(i)), PortPartition.owner(pool4Port, 2), "mapped in its worker's part of pool4");
        }

        final SessionListing all = gateway.control().sessions(AddressFilter.ANY, 1000);

        assertEquals(16, all.total());
        assertEquals(16, all.sessions().size());
        final List<SessionView> sorted = new ArrayList<>(all.sessions());
        // The clients differ in their last group only.
        sorted.sort(Comparator.comparingInt(view -> Integer.parseInt(
            view.ipv6Source().substring(view.ipv6Source().lastIndexOf(':') + 1), 16)));
        assertEquals(sorted, all.sessions(), "sorted by IPv6 source");
        for (final SessionView session : all.sessions())
        {
            assertEquals(home(session.ipv6Source()), session.worker(), session.toString());
        }
        assertEquals(2, all.sessions().stream().map(SessionView::worker).distinct().count(), "both workers listed");

        final SessionListing five = gateway.control().sessions(AddressFilter.ANY, 5);
        assertTrue(five.truncated());
        assertEquals(16, five.total());
        assertEquals(all.sessions().subList(0, 5).stream().map(SessionView::ipv6Source).toList(),
            five.sessions().stream().map(SessionView::ipv6Source).toList(), "the first five of the merged order");
    }

    @Test
    void aStaticEntryLivesOnItsServersWorkerWithItsPortSteeredThere() throws Exception
    {
        gateway = TestGateway.start(dir, TWO_WORKERS);
        final int holder = home(SERVER6);
        int port = 40000;
        while (PortPartition.owner(port, 2) == holder)
        {
            port++;
        }
        final IpAddress server = IpAddress.parse(SERVER6);
        final StaticBibEntry entry = new StaticBibEntry(SessionProtocol.UDP, server.ipv6High(), server.ipv6Low(), 5353,
            Ipv4Address.parse(POOL4), port);

        gateway.control().addStaticBib(entry);

        final byte[] in = gateway.fromVpc(instanceToPool4(7000, port), 5000);
        assertNotNull(in, "steered to the entry's worker, not to the port's owner");
        assertEquals(5353, u16(in, 14 + 40 + 2));
        assertEquals(List.of(new StaticBibView("udp", SERVER6, 5353, POOL4, port, 1)), gateway.control().staticBib());
        assertEquals(holder, gateway.control().sessions(AddressFilter.parse(SERVER6), 10).sessions().get(0).worker());
        final byte[] out = gateway.fromInternet(PacketBuilder.ipv6(SERVER6, "64:ff9b::a00:105").udp(5353, 7000)
            .payload(10).ethernet(TestGateway.INTERNET_PORT_MAC, TestGateway.INTERNET_HOST_MAC).build());
        assertEquals(port, u16(out, 14 + 20), "the server's answer leaves from its static port");

        final StaticBibView removed = gateway.control().removeStaticBib(SessionProtocol.UDP, Ipv4Address.parse(POOL4), port);

        assertEquals(1, removed.sessions());
        assertEquals(List.of(), gateway.control().staticBib());
        assertNotNull(gateway.fromVpc(instanceToPool4(7000, port), 5000),
            "the session still reaches the server: its port still steered to the entry, now dynamic");
        final ControlException again = assertThrows(ControlException.class, () -> gateway.control().addStaticBib(entry));
        assertEquals(409, again.status());
        assertTrue(again.getMessage().contains("dynamic entry udp " + SERVER6 + "#5353 <-> " + POOL4 + "#" + port
            + " with 1 sessions"), again.getMessage());
    }

    @Test
    void anEipBindingReachesTheClientsOfEveryWorker() throws Exception
    {
        gateway = TestGateway.start(dir, TWO_WORKERS);

        gateway.control().addEip(Ipv4Address.parse("203.0.113.9"), Ipv4Address.parse("10.0.1.9"));

        for (int worker = 0; worker < 2; worker++)
        {
            final byte[] out = gateway.fromInternet(PacketBuilder.ipv6(clientOf(worker), "64:ff9b::cb00:7109")
                .udp(41000, 53).payload(10).ethernet(TestGateway.INTERNET_PORT_MAC, TestGateway.INTERNET_HOST_MAC)
                .build());
            assertEquals("10.0.1.9", Ipv4Address.format(PacketBuilder.ipv4Address((out[30] & 0xFF) + "."
                + (out[31] & 0xFF) + "." + (out[32] & 0xFF) + "." + (out[33] & 0xFF))), "worker " + worker);
        }
        assertEquals(2, gateway.control().eip().size());
        assertTrue(gateway.control().health().ok());
    }

    @Test
    void anIpv6GatewayVerbReachesTheVpcAddressesOfEveryWorker() throws Exception
    {
        // VPC addresses on both workers, each VPC-only until the verb gives it bandwidth.
        final List<String> hosts = new ArrayList<>();
        final StringBuilder neighbours = new StringBuilder("neighbours:\n");
        for (int i = 0; i < 8; i++)
        {
            final String host = "2001:db8:0:1::" + Integer.toHexString(0x40 + i);
            hosts.add(host);
            neighbours.append("  - {address: \"").append(host).append("\", mac: \"02:53:47:00:01:10\", port: vpc}\n");
        }
        gateway = TestGateway.startWith(dir, TestGateway.BASE.replace("neighbours:\n", neighbours.toString())
            + TWO_WORKERS + "ipv6-gateway:\n  vpc: [\"2001:db8:0:1::/64\"]\n  internet-port: internet\n"
            + "  max-flows: 1000\n");
        assertEquals(2, hosts.stream().map(this::home).distinct().count(), "hosts on both workers");

        final Ipv6GatewayRuleView rule = gateway.control().allocateIpv6Bandwidth(
            io.sixgate.core.net.Ipv6Prefix.parse("2001:db8:0:1::/64"), 100, 0);

        assertEquals(100, rule.bandwidthMbps());
        for (final String host : hosts)
        {
            final byte[] out = gateway.fromVpc(PacketBuilder.ipv6(host, TestGateway.CLIENT).udp(4000, 53).payload(10)
                .ethernet(TestGateway.VPC_PORT_MAC, TestGateway.VPC_HOST_MAC).build(), 5000);
            assertNotNull(out, host + " (worker " + home(host) + ") reaches the Internet");
        }
        final Ipv6GatewayView view = gateway.control().ipv6Gateway();
        assertEquals(1000, view.maxFlows(), "the workers' shares of max-flows add up");
        assertEquals(1, view.addresses().size());
    }

    @Test
    void withSeveralWorkersTheVpcPrefixesChangeOnlyWithARestart() throws Exception
    {
        final String section = TWO_WORKERS + "ipv6-gateway:\n  vpc: [\"2001:db8:0:1::/64\"]\n  internet-port: internet\n";
        gateway = TestGateway.startWith(dir, TestGateway.BASE + section);
        gateway.writeConfig(TestGateway.BASE + section.replace("2001:db8:0:1::/64", "2001:db8:0::/48"));

        final ControlException refused = assertThrows(ControlException.class, () -> gateway.control().reload("test"));

        assertEquals(409, refused.status());
        assertEquals("reload refused: " + gateway.configFile() + ": ipv6-gateway.vpc (with several workers) changes"
            + " only with a restart; the running configuration stays", refused.getMessage());
    }

    @Test
    void aReloadReachesEveryWorker() throws Exception
    {
        gateway = TestGateway.start(dir, TWO_WORKERS);
        gateway.writeConfig(TestGateway.BASE + TWO_WORKERS
            + "routes:\n  - {prefix: \"2001:db8:aaaa::/48\", via: \"2001:db8:ffff::10\", port: internet}\n");

        final ReloadReport report = gateway.control().reload("test");

        assertEquals(List.of("routes: 0 -> 1"), report.changes());
        int forwarded = 0;
        for (int i = 0; i < 32; i++)
        {
            // Flows to 32 destinations: spread over both workers by the flow hash.
            forwarded += gateway.fromVpc(vpcHostTo("2001:db8:aaaa::" + Integer.toHexString(0x100 + i)), 5000) != null
                ? 1 : 0;
        }
        assertEquals(32, forwarded, "every worker has the new route");
        assertTrue(gateway.daemon().pipelines().get(0).counters().totalReceived() > 0);
        assertTrue(gateway.daemon().pipelines().get(1).counters().totalReceived() > 0);
    }

    private long dropped(final String label)
    {
        return gateway.control().counters().stream().filter(counter -> counter.label().equals("drop " + label))
            .mapToLong(counter -> counter.value()).sum();
    }

    @Test
    void aNetworkAclReloadReachesEveryWorker() throws Exception
    {
        final String firewall = TWO_WORKERS
            + "routes:\n  - {prefix: \"2001:db8:aaaa::/48\", via: \"2001:db8:ffff::10\", port: internet}\n"
            + "vpc: [\"2001:db8:0:1::/64\"]\n"
            + "network-acls:\n  - name: vpc\n    subnets: [\"2001:db8:0:1::/64\"]\n    rules:\n"
            + "      - {priority: 100, direction: outbound, protocol: udp, cidr: \"::/0\", ports: 53, action: allow}\n";
        gateway = TestGateway.start(dir, firewall);
        final List<String> destinations = new ArrayList<>();
        for (int i = 0; i < 32; i++)
        {
            // Flows to 32 destinations: spread over both workers by the flow hash.
            destinations.add("2001:db8:aaaa::" + Integer.toHexString(0x100 + i));
            assertNotNull(gateway.fromVpc(vpcHostTo(destinations.get(i)), 5000), "allowed before the reload");
        }
        gateway.writeConfig(TestGateway.BASE + firewall.replace("action: allow", "action: deny"));

        final ReloadReport report = gateway.control().reload("test");

        assertEquals(List.of("network-acls: changed vpc (rules)"), report.changes());
        for (final String destination : destinations)
        {
            assertTrue(gateway.vpcHost().send(vpcHostTo(destination)));
        }
        final long deadline = System.currentTimeMillis() + 5000;
        while (dropped("network-acl/outbound-denied worker=0") + dropped("network-acl/outbound-denied worker=1") < 32
            && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(5);
        }
        assertTrue(dropped("network-acl/outbound-denied worker=0") > 0, "worker 0 has the new rule");
        assertTrue(dropped("network-acl/outbound-denied worker=1") > 0, "worker 1 has the new rule");
        assertEquals(32, dropped("network-acl/outbound-denied worker=0") + dropped("network-acl/outbound-denied worker=1"));
        assertNull(gateway.internetHost().receive(100), "nothing came through");
    }

    @Test
    void aReloadThatOneWorkerRefusesChangesNoWorker() throws Exception
    {
        gateway = TestGateway.start(dir, TWO_WORKERS);
        final String client = clientOf(1 - home(SERVER6));
        final int mapped = openSession(client, 50000);
        // A static entry on the server's worker, at the port the other worker already mapped a flow to.
        gateway.writeConfig(TestGateway.BASE.replace("eip:\n  - {public: 203.0.113.5, private: 10.0.1.5}\n",
            "  static-bib:\n    - {protocol: udp, ipv6-address: \"" + SERVER6 + "\", ipv6-port: 53,"
                + " ipv4-address: " + POOL4 + ", ipv4-port: " + mapped + "}\n"
                + "eip:\n  - {public: 203.0.113.6, private: 10.0.1.5}\n")
            + TWO_WORKERS
            + "routes:\n  - {prefix: \"2001:db8:aaaa::/48\", via: \"2001:db8:ffff::10\", port: internet}\n");

        final ControlException refused = assertThrows(ControlException.class, () -> gateway.control().reload("test"));

        assertEquals(409, refused.status());
        assertEquals("reload refused: nat64.static-bib[0]: udp " + SERVER6 + "#53 <-> " + POOL4 + "#" + mapped
            + " clashes with the dynamic entry udp " + client + "#50000 <-> " + POOL4 + "#" + mapped
            + " (1 sessions); the running configuration stays", refused.getMessage());
        assertEquals(List.of(), gateway.control().staticBib());
        assertEquals("203.0.113.5", gateway.control().eip().get(0).publicAddress(), "the EIPs stay");
        for (int i = 0; i < 8; i++)
        {
            assertNull(gateway.fromVpc(vpcHostTo("2001:db8:aaaa::" + Integer.toHexString(0x100 + i)), 200),
                "no worker took the new route");
        }
        final byte[] reply = gateway.fromVpc(instanceToPool4(53, mapped), 5000);
        assertNotNull(reply, "the session still works");
        assertNotEquals(0, reply.length);
        assertEquals(INSTANCE, gateway.control().sessions(AddressFilter.ANY, 10).sessions().get(0).ipv4Remote());
    }
}
