package io.sixgate.egress;

import java.util.concurrent.TimeUnit;

import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.testing.AllocationMeter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EgressOnlyTableTest
{
    private static final long IN_HIGH = 0x2001_0db8_0000_0001L;
    private static final long OUT_HIGH = 0x2001_0db8_ffff_0000L;
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private EgressOnlyTable table = new EgressOnlyTable(16, 4, EgressOnlyTimeouts.DEFAULTS, 42);

    @AfterEach
    void close()
    {
        table.close();
    }

    private int createTcp(final long inLow, final int inPort, final long now)
    {
        return table.create(IpProtocol.TCP, IN_HIGH, inLow, inPort, OUT_HIGH, 1, 443, now);
    }

    @Test
    void findsWhatWasCreatedAndNothingElse()
    {
        final int flow = createTcp(1, 40000, 0);
        assertTrue(flow >= 0);
        assertEquals(flow, table.find(IpProtocol.TCP, IN_HIGH, 1, 40000, OUT_HIGH, 1, 443));
        assertEquals(EgressOnlyTable.NOT_FOUND, table.find(IpProtocol.UDP, IN_HIGH, 1, 40000, OUT_HIGH, 1, 443));
        assertEquals(EgressOnlyTable.NOT_FOUND, table.find(IpProtocol.TCP, IN_HIGH, 1, 40001, OUT_HIGH, 1, 443));
        assertEquals(EgressOnlyTable.NOT_FOUND, table.find(IpProtocol.TCP, IN_HIGH, 1, 40000, OUT_HIGH, 2, 443));
    }

    @Test
    void handshakeMakesTheFlowEstablishedWithTheLongTimeout()
    {
        final int flow = createTcp(1, 40000, 0);
        table.onTcp(flow, true, TcpFlyweight.SYN, 0);
        assertEquals(EgressOnlyTimeouts.MIN_TCP_TRANSITORY_NS, table.expiryNs(flow));
        table.onTcp(flow, false, TcpFlyweight.SYN | TcpFlyweight.ACK, 1);
        assertTrue(EgressOnlyTable.isEstablished(table.tcpState(flow)));
        assertEquals(1 + EgressOnlyTimeouts.MIN_TCP_ESTABLISHED_NS, table.expiryNs(flow));
        assertTrue(EgressOnlyTimeouts.MIN_TCP_ESTABLISHED_NS >= TimeUnit.MINUTES.toNanos(124));
    }

    @Test
    void simultaneousOpenIsEstablished()
    {
        final int flow = createTcp(1, 40000, 0);
        table.onTcp(flow, true, TcpFlyweight.SYN, 0);
        table.onTcp(flow, false, TcpFlyweight.SYN, 1);
        assertTrue(EgressOnlyTable.isEstablished(table.tcpState(flow)));
    }

    @Test
    void finBothWaysOrRstMakesItTransitory()
    {
        final int flow = createTcp(1, 40000, 0);
        table.onTcp(flow, true, TcpFlyweight.SYN, 0);
        table.onTcp(flow, false, TcpFlyweight.SYN | TcpFlyweight.ACK, 0);
        table.onTcp(flow, false, TcpFlyweight.RST, 10);
        assertFalse(EgressOnlyTable.isEstablished(table.tcpState(flow)));
        assertEquals(10 + EgressOnlyTimeouts.MIN_TCP_TRANSITORY_NS, table.expiryNs(flow));
        table.onTcp(flow, true, TcpFlyweight.SYN, 20);
        assertEquals(EgressOnlyTable.TCP_SYN_OUT, table.tcpState(flow));
    }

    @Test
    void udpExpiresAfterItsIdleTimeoutOnlyWhenTheSweepPasses()
    {
        final int flow = table.create(IpProtocol.UDP, IN_HIGH, 1, 5353, OUT_HIGH, 1, 53, 0);
        table.refresh(flow, MINUTE);
        assertEquals(0, table.expire(MINUTE + EgressOnlyTimeouts.DEFAULT_UDP_NS - 1, 100));
        assertEquals(1, table.expire(MINUTE + EgressOnlyTimeouts.DEFAULT_UDP_NS, 100));
        assertEquals(EgressOnlyTable.NOT_FOUND, table.find(IpProtocol.UDP, IN_HIGH, 1, 5353, OUT_HIGH, 1, 53));
        assertEquals(0, table.size());
        assertEquals(0, table.flowsOf(IN_HIGH, 1));
    }

    @Test
    void newTimeoutsApplyFromEachFlowsNextPacket()
    {
        final int flow = table.create(IpProtocol.UDP, IN_HIGH, 1, 5353, OUT_HIGH, 1, 53, 0);
        final EgressOnlyTimeouts longer = new EgressOnlyTimeouts(EgressOnlyTimeouts.MIN_TCP_ESTABLISHED_NS,
            EgressOnlyTimeouts.MIN_TCP_TRANSITORY_NS, 10 * MINUTE, EgressOnlyTimeouts.DEFAULT_ICMP_NS, 10 * MINUTE);

        table.timeouts(longer);

        assertEquals(EgressOnlyTimeouts.DEFAULT_UDP_NS, table.expiryNs(flow), "the deadline already set stays");
        table.refresh(flow, MINUTE);
        assertEquals(11 * MINUTE, table.expiryNs(flow));
        assertEquals(longer, table.timeouts());
    }

    @Test
    void sweepIsBoundedAndResumes()
    {
        for (int i = 0; i < 10; i++)
        {
            table.create(IpProtocol.UDP, IN_HIGH, i, 1000, OUT_HIGH, 1, 53, 0);
        }
        final long late = EgressOnlyTimeouts.DEFAULT_UDP_NS;
        assertEquals(3, table.expire(late, 3));
        assertEquals(3, table.expire(late, 3));
        assertEquals(4, table.expire(late, 100));
        assertEquals(0, table.size());
    }

    @Test
    void perAddressLimitRefusesOnlyThatAddress()
    {
        for (int port = 0; port < 4; port++)
        {
            assertTrue(createTcp(1, port, 0) >= 0);
        }
        assertEquals(EgressOnlyTable.FAILURE_ADDRESS_LIMIT, createTcp(1, 99, 0));
        assertTrue(createTcp(2, 99, 0) >= 0);
        assertNotEquals(EgressOnlyTable.NOT_FOUND, table.find(IpProtocol.TCP, IN_HIGH, 1, 0, OUT_HIGH, 1, 443));
    }

    @Test
    void fullTableRefusesNewFlowsAndKeepsTheOld()
    {
        for (int address = 0; address < 4; address++)
        {
            for (int port = 0; port < 4; port++)
            {
                assertTrue(createTcp(address, port, 0) >= 0);
            }
        }
        assertEquals(EgressOnlyTable.FAILURE_TABLE_FULL, createTcp(9, 1, 0));
        assertNotEquals(EgressOnlyTable.NOT_FOUND, table.find(IpProtocol.TCP, IN_HIGH, 3, 3, OUT_HIGH, 1, 443));
        table.remove(table.find(IpProtocol.TCP, IN_HIGH, 3, 3, OUT_HIGH, 1, 443));
        assertTrue(createTcp(9, 1, 0) >= 0);
    }

    @Test
    void timeoutsBelowTheRfc6092FloorsAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new EgressOnlyTimeouts(
            MINUTE * 120, EgressOnlyTimeouts.MIN_TCP_TRANSITORY_NS, EgressOnlyTimeouts.DEFAULT_UDP_NS, 1, MINUTE * 5));
        assertThrows(IllegalArgumentException.class, () -> new EgressOnlyTimeouts(
            EgressOnlyTimeouts.MIN_TCP_ESTABLISHED_NS, EgressOnlyTimeouts.MIN_TCP_TRANSITORY_NS, MINUTE, 1, MINUTE * 5));
    }

    @Test
    void hotPathAllocatesNothing()
    {
        final long[] now = {0};
        assertEquals(0, AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int i = 0; i < 12; i++)
            {
                final int flow = table.create(IpProtocol.UDP, IN_HIGH, i, 1, OUT_HIGH, 1, 53, now[0]);
                table.refresh(flow, now[0]);
                table.find(IpProtocol.UDP, IN_HIGH, i, 1, OUT_HIGH, 1, 53);
            }
            now[0] += EgressOnlyTimeouts.DEFAULT_UDP_NS;
            table.expire(now[0], 64);
        }));
    }
}
