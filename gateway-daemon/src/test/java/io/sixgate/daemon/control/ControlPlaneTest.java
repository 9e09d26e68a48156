package io.sixgate.daemon.control;

import static io.sixgate.daemon.control.TestGateway.CLIENT;
import static io.sixgate.daemon.control.TestGateway.INSTANCE;
import static io.sixgate.daemon.control.TestGateway.OTHER_CLIENT;
import static io.sixgate.daemon.control.TestGateway.POOL4;
import static io.sixgate.daemon.control.TestGateway.clientToEip;
import static io.sixgate.daemon.control.TestGateway.instanceToPool4;
import static io.sixgate.daemon.control.TestGateway.u16;
import static io.sixgate.daemon.control.TestGateway.vpcHostTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.sixgate.core.counters.CounterType;
import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.config.IpAddress;
import io.sixgate.daemon.stat.CounterSample;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.stateful.StaticBibEntry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane against the whole daemon on socket pairs: every change goes through the
 * worker's command queue and shows in the traffic.
 */
class ControlPlaneTest
{
    private static final String SERVER6 = "2001:db8:ffff::80";
    private static final String ROUTE = "routes:\n  - {prefix: \"2001:db8:aaaa::/48\", via: \"2001:db8:ffff::10\","
        + " port: internet}\n";

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

    private static StaticBibEntry udpServer(final int ipv6Port, final String pool4, final int pool4Port)
    {
        final IpAddress server = IpAddress.parse(SERVER6);
        return new StaticBibEntry(SessionProtocol.UDP, server.ipv6High(), server.ipv6Low(), ipv6Port,
            Ipv4Address.parse(pool4), pool4Port);
    }

    /** Opens a session client -> EIP and returns its pool4 port. */
    private int openSession(final String client, final int clientPort) throws Exception
    {
        final byte[] out = gateway.fromInternet(clientToEip(client, clientPort, 53));
        assertEquals(INSTANCE, Ipv4Address.format(PacketBuilder.ipv4Address(ipAt(out, 14 + 16))));
        return u16(out, 14 + 20);
    }

    private static String ipAt(final byte[] frame, final int offset)
    {
        return (frame[offset] & 0xFF) + "." + (frame[offset + 1] & 0xFF) + "." + (frame[offset + 2] & 0xFF) + "."
            + (frame[offset + 3] & 0xFF);
    }

    @Test
    void aStaticBibEntryAddedAtRunTimeLetsIpv4HostsReachTheIpv6Server() throws Exception
    {
        gateway = TestGateway.start(dir);
        final ControlPlane control = gateway.control();
        assertNull(gateway.fromVpc(instanceToPool4(5000, 53), 300), "no mapping yet: nothing reaches the Internet side");

        final StaticBibView added = control.addStaticBib(udpServer(5353, POOL4, 53));

        assertEquals(new StaticBibView("udp", SERVER6, 5353, POOL4, 53, 0), added);
        final byte[] out = gateway.fromVpc(instanceToPool4(5000, 53), 5000);
        assertNotNull(out, "the static entry let the IPv4 host in");
        assertEquals(5353, u16(out, 14 + 40 + 2), "to the IPv6 server's port");
        assertEquals(List.of(new StaticBibView("udp", SERVER6, 5353, POOL4, 53, 1)), control.staticBib());
        final SessionListing sessions = control.sessions(AddressFilter.parse(SERVER6), 10);
        assertEquals(1, sessions.sessions().size(), sessions.toString());
        assertTrue(sessions.sessions().get(0).staticBib());

        final StaticBibView removed = control.removeStaticBib(SessionProtocol.UDP, Ipv4Address.parse(POOL4), 53);

        assertEquals(1, removed.sessions(), "its session still uses it");
        assertEquals(List.of(), control.staticBib());
        assertFalse(control.sessions(AddressFilter.parse(SERVER6), 10).sessions().get(0).staticBib(),
            "the session stays, its mapping now dynamic");
    }

    @Test
    void aStaticBibEntryThatClashesOrLeavesPool4IsRefusedSayingWhy() throws Exception
    {
        gateway = TestGateway.start(dir);
        final ControlPlane control = gateway.control();
        control.addStaticBib(udpServer(5353, POOL4, 53));

        final ControlException clash = assertThrows(ControlException.class,
            () -> control.addStaticBib(udpServer(5354, POOL4, 53)));
        assertEquals(409, clash.status());
        assertEquals("static BIB entry udp 2001:db8:ffff::80#5354 <-> 198.51.100.10#53 refused: one of its sides is"
            + " mapped already: static entry udp 2001:db8:ffff::80#5353 <-> 198.51.100.10#53 with 0 sessions",
            clash.getMessage());

        final ControlException outside = assertThrows(ControlException.class,
            () -> control.addStaticBib(udpServer(5355, "198.51.100.99", 53)));
        assertEquals(422, outside.status());
        assertTrue(outside.getMessage().endsWith("refused: 198.51.100.99 is not a pool4 address"), outside.getMessage());

        final ControlException unknown = assertThrows(ControlException.class,
            () -> control.removeStaticBib(SessionProtocol.TCP, Ipv4Address.parse(POOL4), 53));
        assertEquals(404, unknown.status());
        assertEquals("no static BIB entry at tcp 198.51.100.10#53", unknown.getMessage());
    }

    @Test
    void anEipBoundAndUnboundAtRunTimeChangesWhereItsTrafficGoes() throws Exception
    {
        gateway = TestGateway.start(dir);
        final ControlPlane control = gateway.control();
        final byte[] toNewEip = PacketBuilder.ipv6(CLIENT, "64:ff9b::cb00:7109").udp(41000, 53).payload(10)
            .ethernet(TestGateway.INTERNET_PORT_MAC, TestGateway.INTERNET_HOST_MAC).build();

        final EipView added = control.addEip(Ipv4Address.parse("203.0.113.9"), Ipv4Address.parse("10.0.1.9"));

        assertEquals(new EipView("203.0.113.9", "10.0.1.9", "64:ff9b::cb00:7109"), added);
        assertEquals(List.of(new EipView("203.0.113.5", "10.0.1.5", "64:ff9b::cb00:7105"), added), control.eip());
        assertEquals("10.0.1.9", ipAt(gateway.fromInternet(toNewEip), 14 + 16));

        final ControlException twice = assertThrows(ControlException.class,
            () -> control.addEip(Ipv4Address.parse("203.0.113.9"), Ipv4Address.parse("10.0.1.10")));
        assertEquals(409, twice.status());
        assertEquals("EIP 203.0.113.9 is bound already, to 10.0.1.9 (remove it first)", twice.getMessage());
        assertEquals(422, assertThrows(ControlException.class,
            () -> control.addEip(Ipv4Address.parse(POOL4), Ipv4Address.parse("10.0.1.11"))).status());

        assertEquals(added, control.removeEip(Ipv4Address.parse("203.0.113.9")));

        assertEquals(List.of(new EipView("203.0.113.5", "10.0.1.5", "64:ff9b::cb00:7105")), control.eip());
        assertTrue(gateway.internetHost().send(toNewEip));
        assertNull(gateway.vpcHost().receive(300), "203.0.113.9 itself has no route: nothing reaches the VPC");
        assertEquals(404, assertThrows(ControlException.class,
            () -> control.removeEip(Ipv4Address.parse("203.0.113.9"))).status());
    }

    @Test
    void sessionsAreListedByAnyOfTheirAddressesUpToTheLimit() throws Exception
    {
        gateway = TestGateway.start(dir);
        final ControlPlane control = gateway.control();
        final int pool4Port = openSession(CLIENT, 50000);
        openSession(OTHER_CLIENT, 50001);

        final SessionListing byClient = control.sessions(AddressFilter.parse(CLIENT), 1000);
        assertEquals(2, byClient.total());
        assertFalse(byClient.truncated());
        assertEquals(1, byClient.sessions().size());
        final SessionView session = byClient.sessions().get(0);
        assertEquals(new SessionView(0, "udp", CLIENT, 50000, TestGateway.EIP6, 53, POOL4, pool4Port, INSTANCE, 53, null,
            false, session.expiresInSeconds()), session);
        assertTrue(session.expiresInSeconds() > 290 && session.expiresInSeconds() <= 300, session.toString());

        assertEquals(2, control.sessions(AddressFilter.parse(INSTANCE), 1000).sessions().size(), "by the instance");
        assertEquals(2, control.sessions(AddressFilter.parse("203.0.113.5"), 1000).sessions().size(), "by its EIP");
        assertEquals(2, control.sessions(AddressFilter.parse("2001:db8:ffff::/64"), 1000).sessions().size());
        assertEquals(0, control.sessions(AddressFilter.parse("2001:db8:ffff::9"), 1000).sessions().size());
        final SessionListing limited = control.sessions(AddressFilter.ANY, 1);
        assertEquals(1, limited.sessions().size());
        assertTrue(limited.truncated());
        assertEquals(400, assertThrows(ControlException.class, () -> control.sessions(AddressFilter.ANY, 0)).status());
    }

    @Test
    void aReloadPutsANewRouteInForceAndKeepsTheSessions() throws Exception
    {
        gateway = TestGateway.start(dir);
        final ControlPlane control = gateway.control();
        final int pool4Port = openSession(CLIENT, 50000);
        assertNull(gateway.fromVpc(vpcHostTo("2001:db8:aaaa::53"), 300), "no route yet");

        gateway.writeConfig(TestGateway.BASE + ROUTE);
        final ReloadReport report = control.reload("test");

        assertEquals(List.of("routes: 0 -> 1"), report.changes());
        assertNotNull(gateway.fromVpc(vpcHostTo("2001:db8:aaaa::53"), 5000), "the new route forwards");
        assertEquals(1, control.sessions(AddressFilter.parse(CLIENT), 10).sessions().size(), "the session survived");
        final byte[] reply = gateway.fromVpc(instanceToPool4(53, pool4Port), 5000);
        assertNotNull(reply, "and still carries the instance's replies to the client");
        assertEquals(50000, u16(reply, 14 + 40 + 2));
        assertEquals(1, control.config().routes().size());
    }

    @Test
    void aBadConfigurationIsRefusedAndTheRunningOneKeepsForwarding() throws Exception
    {
        gateway = TestGateway.start(dir, ROUTE);
        final ControlPlane control = gateway.control();
        final int pool4Port = openSession(CLIENT, 50000);
        gateway.writeConfig(TestGateway.BASE
            + "routes:\n  - {prefix: \"2001:db8:aaaa::/48\", via: \"2001:db8:eeee::10\", port: internet}\n");

        final ControlException refused = assertThrows(ControlException.class, () -> control.reload("test"));

        assertEquals(422, refused.status());
        assertEquals("reload refused: " + gateway.configFile() + " line 22: routes[0].via: 2001:db8:eeee::10 is not"
            + " inside any subnet of port internet (2001:db8:ffff::/64); the running configuration stays",
            refused.getMessage());
        assertNotNull(gateway.fromVpc(vpcHostTo("2001:db8:aaaa::53"), 5000), "the old route still forwards");
        assertNotNull(gateway.fromVpc(instanceToPool4(53, pool4Port), 5000), "the session still translates");
        assertEquals(1, control.sessions(AddressFilter.ANY, 10).sessions().size());
    }

    @Test
    void aChangeOnlyARestartCanMakeIsRefusedNamingTheKeys() throws Exception
    {
        gateway = TestGateway.start(dir);
        gateway.writeConfig(TestGateway.BASE.replace("frame-pool: {frames: 2048}", "frame-pool: {frames: 4096}")
            .replace("ports: 40000-40100", "ports: 40000-40200"));

        final ControlException refused = assertThrows(ControlException.class, () -> gateway.control().reload("test"));

        assertEquals(409, refused.status());
        assertEquals("reload refused: " + gateway.configFile() + ": frame-pool, nat64.pool4 change only with a restart;"
            + " the running configuration stays", refused.getMessage());
    }

    @Test
    void theIngestThreadsPriorityAndATapsQueueLengthChangeOnlyWithARestart() throws Exception
    {
        gateway = TestGateway.start(dir);
        gateway.writeConfig(TestGateway.BASE.replace("frame-pool: {frames: 2048}", "ingest-nice: 0\nframe-pool: {frames: 2048}")
            .replace("  - {name: vpc, type: tap,", "  - {name: vpc, type: tap, queue-length: 1024, offload: true,"));

        final ControlException refused = assertThrows(ControlException.class, () -> gateway.control().reload("test"));

        assertEquals(409, refused.status());
        assertEquals("reload refused: " + gateway.configFile() + ": ingest-nice, frame-pool, ports[0].offload,"
            + " ports[0].queue-length change only with a restart; the running configuration stays", refused.getMessage());
    }

    @Test
    void aReloadMakesTheStaticBibAndEipBindingsThoseOfTheFile() throws Exception
    {
        gateway = TestGateway.start(dir);
        final ControlPlane control = gateway.control();
        control.addStaticBib(udpServer(5353, POOL4, 53));
        gateway.writeConfig(TestGateway.BASE.replace("eip:\n  - {public: 203.0.113.5, private: 10.0.1.5}\n",
            "  static-bib:\n    - {protocol: tcp, ipv6-address: \"2001:db8:ffff::80\", ipv6-port: 80,"
                + " ipv4-address: 198.51.100.10, ipv4-port: 80}\n"
                + "  timeouts: {udp: 10m}\n"
                + "eip:\n  - {public: 203.0.113.6, private: 10.0.1.5}\n"));

        final ReloadReport report = control.reload("test");

        assertEquals(List.of(
            "nat64.static-bib: removed udp 2001:db8:ffff::80#5353 <-> 198.51.100.10#53",
            "nat64.static-bib: added tcp 2001:db8:ffff::80#80 <-> 198.51.100.10#80",
            "eip: removed 203.0.113.5 -> 10.0.1.5",
            "eip: added 203.0.113.6 -> 10.0.1.5",
            "nat64.timeouts: new lifetimes from each session's next packet"), report.changes());
        assertEquals(List.of(new StaticBibView("tcp", SERVER6, 80, POOL4, 80, 0)), control.staticBib());
        assertEquals(List.of(new EipView("203.0.113.6", "10.0.1.5", "64:ff9b::cb00:7106")), control.eip());
        gateway.fromInternet(PacketBuilder.ipv6(CLIENT, "64:ff9b::cb00:7106").udp(50000, 53).payload(10)
            .ethernet(TestGateway.INTERNET_PORT_MAC, TestGateway.INTERNET_HOST_MAC).build());
        final double expires = control.sessions(AddressFilter.ANY, 1).sessions().get(0).expiresInSeconds();
        assertTrue(expires > 590 && expires <= 600, "the new UDP lifetime: " + expires);
    }

    @Test
    void withoutStatefulNat64TheNat64RequestsAreConflicts() throws Exception
    {
        final String routingOnly = TestGateway.BASE.substring(0, TestGateway.BASE.indexOf("nat64:"));
        gateway = TestGateway.startWith(dir, routingOnly);

        final ControlException ex = assertThrows(ControlException.class, () -> gateway.control().eip());

        assertEquals(409, ex.status());
        assertEquals("the running configuration has no stateful NAT64 (nat64.mode: stateful); static BIB entries,"
            + " EIP bindings and sessions need one", ex.getMessage());
        assertEquals("none", gateway.control().health().nat64());
    }

    @Test
    void healthAsksTheWorkerAndCountersComeFromTheFile() throws Exception
    {
        gateway = TestGateway.start(dir);
        openSession(CLIENT, 50000);

        final Health health = gateway.control().health();

        assertTrue(health.ok(), health.toString());
        assertEquals("stateful", health.nat64());
        assertEquals(2, health.ports());
        final List<CounterSample> counters = gateway.control().counters();
        assertTrue(counters.contains(new CounterSample(CounterType.RX_FRAMES, 0, "internet",
            null, "rx port=internet worker=0", 1)), counters.toString());
    }

    @Test
    void aWorkerThatDoesNotAnswerMakesHealthSaySo() throws Exception
    {
        final FramePool pool = new FramePool(8, 256, 64);
        final Pipeline pipeline = Pipeline.builder().pool(pool).txSink((port, frame) -> pool.release(frame))
            .port(new Port(0, "p0", LinkType.RAW, 0, 1500), null).build(InMemoryCounters.create(64), 0);
        final WorkerCommandQueue neverDrained = new WorkerCommandQueue(new WorkerState(0, pipeline, () -> 0L));
        final GatewayConfig config = ConfigLoader.load("gw.yaml", new ByteArrayInputStream(
            TestGateway.BASE.replace("%DIR%", dir.toString()).getBytes(StandardCharsets.UTF_8)));
        final ControlPlane control = new ControlPlane(null, config, neverDrained, InMemoryCounters.create(16), 0);

        final Health health = control.health();

        assertFalse(health.ok());
        assertEquals("worker not responding: the worker did not answer within 1000 ms (a change may still be applied:"
            + " look again before retrying)", health.status());
        final ControlException reload = assertThrows(ControlException.class, () -> control.reload("test"));
        assertEquals("reload refused: the gateway runs without a configuration file to read again", reload.getMessage());
    }

    @Test
    void aStoppedDaemonAnswersUnavailable() throws Exception
    {
        gateway = TestGateway.start(dir);
        final ControlPlane control = gateway.control();
        gateway.daemon().close();

        final ControlException ex = assertThrows(ControlException.class, control::eip);

        assertEquals(503, ex.status());
        assertEquals("the daemon is stopping", ex.getMessage());
    }
}
