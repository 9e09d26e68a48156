package io.sixgate.nat64.stateful;

import static io.sixgate.nat64.stateful.Nat64StatefulStageTest.ip6;
import static io.sixgate.nat64.stateful.StatefulTestbed.CLIENT6;
import static io.sixgate.nat64.stateful.StatefulTestbed.EIP6;
import static io.sixgate.nat64.stateful.StatefulTestbed.INSTANCE;
import static io.sixgate.nat64.stateful.StatefulTestbed.POOL4;
import static io.sixgate.nat64.stateful.StatefulTestbed.u16;
import static io.sixgate.nat64.stateful.StatefulTestbed.v4;
import static io.sixgate.nat64.stateful.StatefulTestbed.v6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.TcpStateMachine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful restart through whole pipelines: flows made by packets in one gateway carry on in
 * a new one built after the snapshot, on the same pool4 ports.
 */
class GracefulRestartReplayTest
{
    private static final int SYN = TcpFlyweight.SYN;
    private static final int ACK = TcpFlyweight.ACK;
    private static final long WALL_NS = TimeUnit.DAYS.toNanos(20_000);

    @TempDir
    Path dir;

    @Test
    void anEstablishedTcpConnectionAndAUdpFlowCarryOnAfterTheRestart() throws IOException
    {
        final Path file = dir.resolve("sessions.snap");
        final int tcpPort;
        final int udpPort;
        try (StatefulTestbed before = new StatefulTestbed())
        {
            tcpPort = u16(before.send6(v6(CLIENT6, EIP6).tcp(50000, 80, SYN).build()).only4(), 20);
            before.send4(v4(INSTANCE, POOL4).tcp(80, tcpPort, SYN | ACK).build()).only6();
            before.send6(v6(CLIENT6, EIP6).tcp(50000, 80, ACK).build()).only4();
            udpPort = u16(before.send6(v6(CLIENT6, EIP6).udp(40000, 53).build()).only4(), 20);
            SessionSnapshot.write(file, before.nowNs(), WALL_NS, before.shard());
        }

        try (StatefulTestbed withoutSnapshot = new StatefulTestbed())
        {
            assertFalse(withoutSnapshot.send4(v4(INSTANCE, POOL4).tcp(80, tcpPort, ACK).payload(new byte[100]).build())
                .drops().isEmpty(), "a gateway that forgot the session drops the instance's data");
        }

        try (StatefulTestbed after = new StatefulTestbed())
        {
            final SessionRestoreReport report = SessionRestore.into(SessionSnapshot.read(file), after.shard(),
                after.nowNs(), WALL_NS + TimeUnit.SECONDS.toNanos(3), SessionOwnership.EVERY_SESSION);
            assertEquals("restored 2, skipped 0", report.toString());

            final byte[] data6 = after.send4(v4(INSTANCE, POOL4).tcp(80, tcpPort, ACK).payload(new byte[100]).build())
                .only6();
            assertEquals(CLIENT6, ip6(data6, 24));
            assertEquals(50000, u16(data6, 42));
            final byte[] ack4 = after.send6(v6(CLIENT6, EIP6).tcp(50000, 80, ACK).build()).only4();
            assertEquals(tcpPort, u16(ack4, 20), "the instance sees the same pool4 source port");
            final byte[] dns = after.send6(v6(CLIENT6, EIP6).udp(40000, 53).build()).only4();
            assertEquals(udpPort, u16(dns, 20));

            final int session = after.shard().sessions().find6(SessionProtocol.TCP, high(CLIENT6), low(CLIENT6), 50000,
                Ipv4Address.parse(INSTANCE), 80);
            assertEquals(TcpStateMachine.ESTABLISHED, after.shard().sessions().tcpState(session));
        }
    }

    private static long high(final String address)
    {
        return Ipv6Address.parse(address)[0];
    }

    private static long low(final String address)
    {
        return Ipv6Address.parse(address)[1];
    }
}
