package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opens real TAP devices (root). Devices are named {@code sgt<pid><n>}; a created one vanishes
 * when closed, and the one test that makes a persistent device deletes it. None is brought up,
 * so nothing is sent on them; bringing up is covered in the namespace end-to-end test.
 */
class TapDeviceTest
{
    private static final String PREFIX = "sgt" + ProcessHandle.current().pid() % 100_000;

    @BeforeEach
    void requireRoot()
    {
        RootRequirement.require("ip");
    }

    @Test
    void createsADeviceThatGoesAwayWhenClosed() throws Exception
    {
        final String name = PREFIX + "a";
        assertEquals(0, LibC.INSTANCE.if_nametoindex(name), "left over from an earlier run: " + name);
        try (TapDevice tap = TapDevice.open(name))
        {
            assertEquals(name, tap.name());
            assertTrue(tap.created());
            assertNotEquals(0, LibC.INSTANCE.if_nametoindex(name));
            final ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
            assertEquals(0, tap.fd().read(buffer, 0, buffer.capacity()), "non-blocking: EAGAIN reads as 0");
        }
        assertEquals(0, LibC.INSTANCE.if_nametoindex(name), "a created TAP lives as long as its descriptor");
    }

    @Test
    void setsTheMtuWithAnIoctl() throws Exception
    {
        try (TapDevice tap = TapDevice.open(PREFIX + "m"))
        {
            LinkControl.setMtu(tap.name(), 1400);

            assertEquals(1400, LinkControl.mtu(tap.name()));
            assertFalse(LinkControl.isUp(tap.name()));
        }
    }

    @Test
    void attachesToAnExistingPersistentTapAndLeavesIt() throws Exception
    {
        final String name = PREFIX + "p";
        run("ip", "tuntap", "add", "dev", name, "mode", "tap");
        try
        {
            try (TapDevice tap = TapDevice.open(name))
            {
                assertFalse(tap.created());
            }
            assertNotEquals(0, LibC.INSTANCE.if_nametoindex(name), "an attached TAP stays after close");
        }
        finally
        {
            run("ip", "tuntap", "del", "dev", name, "mode", "tap");
        }
    }

    @Test
    void aTapSomeoneElseHoldsIsBusy() throws Exception
    {
        final String name = PREFIX + "b";
        try (TapDevice first = TapDevice.open(name))
        {
            assertTrue(first.created());
            final PortOpenException ex = assertThrows(PortOpenException.class, () -> TapDevice.open(name));

            assertEquals("cannot attach to TAP device " + name + ": Device or resource busy (another process has it open)",
                ex.getMessage());
        }
    }

    @Test
    void anInterfaceThatIsNotATapIsRefused()
    {
        final PortOpenException ex = assertThrows(PortOpenException.class, () -> TapDevice.open("lo"));

        assertEquals("cannot attach to TAP device lo: Invalid argument (an interface of that name exists and is not"
            + " a single-queue TAP device; pick another ports[].device or delete it)", ex.getMessage());
    }

    private static void run(final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
    }
}
