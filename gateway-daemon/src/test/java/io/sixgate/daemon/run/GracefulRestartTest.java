package io.sixgate.daemon.run;

import static io.sixgate.daemon.control.TestGateway.CLIENT;
import static io.sixgate.daemon.control.TestGateway.clientToEip;
import static io.sixgate.daemon.control.TestGateway.instanceToPool4;
import static io.sixgate.daemon.control.TestGateway.u16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import io.sixgate.daemon.BadInputException;
import io.sixgate.daemon.control.TestGateway;
import io.sixgate.nat64.stateful.SessionSnapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nat64.snapshot-file} in the whole daemon (socket pairs, no root): the sessions written
 * when it stops are there when it starts again; a bad file means an empty start, not a failure.
 */
class GracefulRestartTest
{
    /** Ethernet + IPv4 header: the UDP source port of a translated frame. */
    private static final int UDP4_SOURCE_PORT = 14 + 20;
    /** Ethernet + IPv6 header: the UDP destination port of a translated frame. */
    private static final int UDP6_DESTINATION_PORT = 14 + 40 + 2;

    @TempDir
    Path dir;

    @Test
    void aRestartedGatewayStillTranslatesTheRepliesOfAFlowItTranslatedBefore() throws Exception
    {
        final int pool4Port;
        try (TestGateway gateway = start("%DIR%/sessions.snap"))
        {
            final byte[] out = gateway.fromInternet(clientToEip(CLIENT, 40000, 53));
            pool4Port = u16(out, UDP4_SOURCE_PORT);
        }
        assertEquals(1, SessionSnapshot.read(snapshot()).count(), "written when the daemon stopped");

        try (TestGateway restarted = start("%DIR%/sessions.snap"))
        {
            final byte[] reply = restarted.fromVpc(instanceToPool4(53, pool4Port), 5000);
            assertNotNull(reply, "the reply to the pool4 port found its session");
            assertEquals(40000, u16(reply, UDP6_DESTINATION_PORT));
            assertEquals(pool4Port, u16(restarted.fromInternet(clientToEip(CLIENT, 40000, 53)), UDP4_SOURCE_PORT),
                "the same pool4 port as before the restart");
        }
    }

    @Test
    void aCorruptSnapshotMeansAnEmptyStart() throws Exception
    {
        final int pool4Port;
        try (TestGateway gateway = start("%DIR%/sessions.snap"))
        {
            pool4Port = u16(gateway.fromInternet(clientToEip(CLIENT, 40000, 53)), UDP4_SOURCE_PORT);
        }
        final byte[] bytes = Files.readAllBytes(snapshot());
        bytes[bytes.length - 1] ^= 1;
        Files.write(snapshot(), bytes);

        try (TestGateway restarted = start("%DIR%/sessions.snap"))
        {
            assertNull(restarted.fromVpc(instanceToPool4(53, pool4Port), 300), "no session: the reply is dropped");
        }
        assertEquals(0, SessionSnapshot.read(snapshot()).count(), "the stop wrote a good file over it");
    }

    @Test
    void aSnapshotFileInADirectoryThatDoesNotExistIsRefusedAtStart()
    {
        final BadInputException error = assertThrows(BadInputException.class,
            () -> start("%DIR%/missing/sessions.snap"));
        assertTrue(error.getMessage().startsWith("nat64.snapshot-file: directory "), error.getMessage());
    }

    private TestGateway start(final String snapshotFile) throws Exception
    {
        final String wkp = "  wkp-global-only: false\n";
        assertTrue(TestGateway.BASE.contains(wkp));
        return TestGateway.startWith(dir, TestGateway.BASE.replace(wkp, wkp + "  snapshot-file: " + snapshotFile + "\n"));
    }

    private Path snapshot()
    {
        return dir.resolve("sessions.snap");
    }
}
