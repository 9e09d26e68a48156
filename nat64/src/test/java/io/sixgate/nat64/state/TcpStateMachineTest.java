package io.sixgate.nat64.state;

import org.junit.jupiter.api.Test;

import static io.sixgate.core.packet.TcpFlyweight.ACK;
import static io.sixgate.core.packet.TcpFlyweight.FIN;
import static io.sixgate.core.packet.TcpFlyweight.PSH;
import static io.sixgate.core.packet.TcpFlyweight.RST;
import static io.sixgate.core.packet.TcpFlyweight.SYN;
import static io.sixgate.nat64.state.TcpStateMachine.CLOSED;
import static io.sixgate.nat64.state.TcpStateMachine.ESTABLISHED;
import static io.sixgate.nat64.state.TcpStateMachine.FROM_IPV4;
import static io.sixgate.nat64.state.TcpStateMachine.FROM_IPV6;
import static io.sixgate.nat64.state.TcpStateMachine.TIMEOUT_ESTABLISHED;
import static io.sixgate.nat64.state.TcpStateMachine.TIMEOUT_TRANSITORY;
import static io.sixgate.nat64.state.TcpStateMachine.TIMEOUT_UNCHANGED;
import static io.sixgate.nat64.state.TcpStateMachine.TRANS;
import static io.sixgate.nat64.state.TcpStateMachine.V4_FIN_RCV;
import static io.sixgate.nat64.state.TcpStateMachine.V4_FIN_V6_FIN_RCV;
import static io.sixgate.nat64.state.TcpStateMachine.V4_INIT;
import static io.sixgate.nat64.state.TcpStateMachine.V6_FIN_RCV;
import static io.sixgate.nat64.state.TcpStateMachine.V6_INIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per row of the RFC 6146 §3.5.2.2 transition table (see {@link TcpStateMachine}).
 */
class TcpStateMachineTest
{
    private static final int DATA = ACK | PSH;

    // CLOSED

    @Test
    void ipv6SynInClosedOpensV6InitOnTransitoryLifetime()
    {
        assertTransition(CLOSED, FROM_IPV6, SYN, V6_INIT, TIMEOUT_TRANSITORY);
    }

    @Test
    void ipv4SynInClosedOpensV4InitOnTransitoryLifetime()
    {
        // The simultaneous-open / inbound path with a BIB entry; the 6 s hold is the caller's.
        assertTransition(CLOSED, FROM_IPV4, SYN, V4_INIT, TIMEOUT_TRANSITORY);
    }

    @Test
    void nonSynInClosedCreatesNoSession()
    {
        for (final int direction : new int[]{ FROM_IPV6, FROM_IPV4 })
        {
            assertTransition(CLOSED, direction, ACK, CLOSED, TIMEOUT_UNCHANGED);
            assertTransition(CLOSED, direction, DATA, CLOSED, TIMEOUT_UNCHANGED);
            assertTransition(CLOSED, direction, FIN | ACK, CLOSED, TIMEOUT_UNCHANGED);
            assertTransition(CLOSED, direction, RST, CLOSED, TIMEOUT_UNCHANGED);
        }
    }

    @Test
    void synWithRstInClosedCreatesNoSession()
    {
        assertTransition(CLOSED, FROM_IPV6, SYN | RST, CLOSED, TIMEOUT_UNCHANGED);
        assertTransition(CLOSED, FROM_IPV4, SYN | RST, CLOSED, TIMEOUT_UNCHANGED);
    }

    // V4 INIT

    @Test
    void ipv6SynInV4InitCompletesTheSimultaneousOpen()
    {
        assertTransition(V4_INIT, FROM_IPV6, SYN, ESTABLISHED, TIMEOUT_ESTABLISHED);
        assertTransition(V4_INIT, FROM_IPV6, SYN | ACK, ESTABLISHED, TIMEOUT_ESTABLISHED);
    }

    @Test
    void retransmittedIpv4SynInV4InitChangesNothing()
    {
        assertTransition(V4_INIT, FROM_IPV4, SYN, V4_INIT, TIMEOUT_UNCHANGED);
    }

    @Test
    void nonSynInV4InitChangesNothing()
    {
        assertTransition(V4_INIT, FROM_IPV6, ACK, V4_INIT, TIMEOUT_UNCHANGED);
        assertTransition(V4_INIT, FROM_IPV6, RST, V4_INIT, TIMEOUT_UNCHANGED);
        assertTransition(V4_INIT, FROM_IPV4, DATA, V4_INIT, TIMEOUT_UNCHANGED);
    }

    // V6 INIT

    @Test
    void ipv4SynInV6InitEstablishes()
    {
        assertTransition(V6_INIT, FROM_IPV4, SYN | ACK, ESTABLISHED, TIMEOUT_ESTABLISHED);
        assertTransition(V6_INIT, FROM_IPV4, SYN, ESTABLISHED, TIMEOUT_ESTABLISHED);
    }

    @Test
    void retransmittedIpv6SynInV6InitRefreshesTransitoryLifetime()
    {
        assertTransition(V6_INIT, FROM_IPV6, SYN, V6_INIT, TIMEOUT_TRANSITORY);
    }

    @Test
    void nonSynInV6InitChangesNothing()
    {
        assertTransition(V6_INIT, FROM_IPV4, RST | ACK, V6_INIT, TIMEOUT_UNCHANGED);
        assertTransition(V6_INIT, FROM_IPV6, ACK, V6_INIT, TIMEOUT_UNCHANGED);
        assertTransition(V6_INIT, FROM_IPV4, DATA, V6_INIT, TIMEOUT_UNCHANGED);
    }

    // ESTABLISHED

    @Test
    void ipv4FinInEstablishedMovesToV4FinRcvKeepingTheLifetime()
    {
        assertTransition(ESTABLISHED, FROM_IPV4, FIN | ACK, V4_FIN_RCV, TIMEOUT_UNCHANGED);
    }

    @Test
    void ipv6FinInEstablishedMovesToV6FinRcvKeepingTheLifetime()
    {
        assertTransition(ESTABLISHED, FROM_IPV6, FIN | ACK, V6_FIN_RCV, TIMEOUT_UNCHANGED);
    }

    @Test
    void ipv6RstInEstablishedMovesToTransOnTransitoryLifetime()
    {
        assertTransition(ESTABLISHED, FROM_IPV6, RST, TRANS, TIMEOUT_TRANSITORY);
    }

    @Test
    void ipv4RstInEstablishedMovesToTransOnTransitoryLifetime()
    {
        assertTransition(ESTABLISHED, FROM_IPV4, RST | ACK, TRANS, TIMEOUT_TRANSITORY);
    }

    @Test
    void rstWithFinInEstablishedCountsAsRst()
    {
        assertTransition(ESTABLISHED, FROM_IPV4, RST | FIN, TRANS, TIMEOUT_TRANSITORY);
    }

    @Test
    void otherPacketInEstablishedRefreshesEstablishedLifetime()
    {
        for (final int direction : new int[]{ FROM_IPV6, FROM_IPV4 })
        {
            assertTransition(ESTABLISHED, direction, ACK, ESTABLISHED, TIMEOUT_ESTABLISHED);
            assertTransition(ESTABLISHED, direction, DATA, ESTABLISHED, TIMEOUT_ESTABLISHED);
            assertTransition(ESTABLISHED, direction, SYN | ACK, ESTABLISHED, TIMEOUT_ESTABLISHED);
        }
    }

    // V4 FIN RCV

    @Test
    void ipv6FinInV4FinRcvClosesBothWaysOnTransitoryLifetime()
    {
        assertTransition(V4_FIN_RCV, FROM_IPV6, FIN | ACK, V4_FIN_V6_FIN_RCV, TIMEOUT_TRANSITORY);
    }

    @Test
    void retransmittedIpv4FinInV4FinRcvRefreshesEstablishedLifetime()
    {
        assertTransition(V4_FIN_RCV, FROM_IPV4, FIN | ACK, V4_FIN_RCV, TIMEOUT_ESTABLISHED);
    }

    @Test
    void otherPacketInV4FinRcvRefreshesEstablishedLifetime()
    {
        assertTransition(V4_FIN_RCV, FROM_IPV6, DATA, V4_FIN_RCV, TIMEOUT_ESTABLISHED);
        assertTransition(V4_FIN_RCV, FROM_IPV4, ACK, V4_FIN_RCV, TIMEOUT_ESTABLISHED);
    }

    @Test
    void rstInV4FinRcvMovesToTransOnTransitoryLifetime()
    {
        assertTransition(V4_FIN_RCV, FROM_IPV6, RST, TRANS, TIMEOUT_TRANSITORY);
        assertTransition(V4_FIN_RCV, FROM_IPV4, RST, TRANS, TIMEOUT_TRANSITORY);
    }

    // V6 FIN RCV

    @Test
    void ipv4FinInV6FinRcvClosesBothWaysOnTransitoryLifetime()
    {
        assertTransition(V6_FIN_RCV, FROM_IPV4, FIN | ACK, V4_FIN_V6_FIN_RCV, TIMEOUT_TRANSITORY);
    }

    @Test
    void retransmittedIpv6FinInV6FinRcvRefreshesEstablishedLifetime()
    {
        assertTransition(V6_FIN_RCV, FROM_IPV6, FIN | ACK, V6_FIN_RCV, TIMEOUT_ESTABLISHED);
    }

    @Test
    void otherPacketInV6FinRcvRefreshesEstablishedLifetime()
    {
        assertTransition(V6_FIN_RCV, FROM_IPV4, DATA, V6_FIN_RCV, TIMEOUT_ESTABLISHED);
        assertTransition(V6_FIN_RCV, FROM_IPV6, ACK, V6_FIN_RCV, TIMEOUT_ESTABLISHED);
    }

    @Test
    void rstInV6FinRcvMovesToTransOnTransitoryLifetime()
    {
        assertTransition(V6_FIN_RCV, FROM_IPV6, RST, TRANS, TIMEOUT_TRANSITORY);
        assertTransition(V6_FIN_RCV, FROM_IPV4, RST | ACK, TRANS, TIMEOUT_TRANSITORY);
    }

    // V4 FIN + V6 FIN RCV

    @Test
    void anyPacketAfterBothFinsChangesNothing()
    {
        for (final int direction : new int[]{ FROM_IPV6, FROM_IPV4 })
        {
            for (int flags = 0; flags < 256; flags++)
            {
                assertTransition(V4_FIN_V6_FIN_RCV, direction, flags, V4_FIN_V6_FIN_RCV, TIMEOUT_UNCHANGED);
            }
        }
    }

    // TRANS

    @Test
    void nonRstPacketInTransReestablishesOnEstablishedLifetime()
    {
        assertTransition(TRANS, FROM_IPV6, ACK, ESTABLISHED, TIMEOUT_ESTABLISHED);
        assertTransition(TRANS, FROM_IPV4, DATA, ESTABLISHED, TIMEOUT_ESTABLISHED);
        assertTransition(TRANS, FROM_IPV6, FIN | ACK, ESTABLISHED, TIMEOUT_ESTABLISHED);
    }

    @Test
    void rstInTransChangesNothing()
    {
        assertTransition(TRANS, FROM_IPV6, RST, TRANS, TIMEOUT_UNCHANGED);
        assertTransition(TRANS, FROM_IPV4, RST | ACK, TRANS, TIMEOUT_UNCHANGED);
    }

    // Totality

    @Test
    void unknownStateIsLeftAloneWithItsLifetime()
    {
        assertTransition(42, FROM_IPV6, SYN, 42, TIMEOUT_UNCHANGED);
        assertEquals("UNKNOWN", TcpStateMachine.name(42));
    }

    @Test
    void everyStateDirectionAndFlagCombinationLandsOnAKnownStateAndTimeout()
    {
        for (int state = CLOSED; state <= TRANS; state++)
        {
            for (final int direction : new int[]{ FROM_IPV6, FROM_IPV4 })
            {
                for (int flags = 0; flags < 256; flags++)
                {
                    final int transition = TcpStateMachine.next(state, direction, flags);
                    final int next = TcpStateMachine.state(transition);
                    final int timeout = TcpStateMachine.timeout(transition);
                    assertTrue(next >= CLOSED && next <= TRANS, "state " + next);
                    assertTrue(timeout >= TIMEOUT_UNCHANGED && timeout <= TIMEOUT_ESTABLISHED, "timeout " + timeout);
                    assertTrue(next != CLOSED || state == CLOSED, "only CLOSED stays CLOSED; expiry ends sessions");
                    assertTrue(next != ESTABLISHED || timeout == TIMEOUT_ESTABLISHED || state == ESTABLISHED,
                        "entering ESTABLISHED sets TCP_EST");
                }
            }
        }
    }

    @Test
    void incomingSynIsHeldSixSeconds()
    {
        assertEquals(6_000_000_000L, TcpStateMachine.INCOMING_SYN_HOLD_NS);
        assertEquals(Nat64Timeouts.TCP_INCOMING_SYN_NS, TcpStateMachine.INCOMING_SYN_HOLD_NS);
    }

    @Test
    void statesCarryRfc6146Names()
    {
        assertEquals("CLOSED", TcpStateMachine.name(CLOSED));
        assertEquals("V4 INIT", TcpStateMachine.name(V4_INIT));
        assertEquals("V6 INIT", TcpStateMachine.name(V6_INIT));
        assertEquals("ESTABLISHED", TcpStateMachine.name(ESTABLISHED));
        assertEquals("V4 FIN RCV", TcpStateMachine.name(V4_FIN_RCV));
        assertEquals("V6 FIN RCV", TcpStateMachine.name(V6_FIN_RCV));
        assertEquals("V4 FIN + V6 FIN RCV", TcpStateMachine.name(V4_FIN_V6_FIN_RCV));
        assertEquals("TRANS", TcpStateMachine.name(TRANS));
    }

    private static void assertTransition(
        final int state, final int direction, final int flags, final int expectedState, final int expectedTimeout)
    {
        final int transition = TcpStateMachine.next(state, direction, flags);
        final String what = TcpStateMachine.name(state) + " + " + (direction == FROM_IPV6 ? "v6" : "v4") +
            " flags 0x" + Integer.toHexString(flags);
        assertEquals(TcpStateMachine.name(expectedState), TcpStateMachine.name(TcpStateMachine.state(transition)), what);
        assertEquals(expectedState, TcpStateMachine.state(transition), what);
        assertEquals(expectedTimeout, TcpStateMachine.timeout(transition), what + " timeout");
    }
}
