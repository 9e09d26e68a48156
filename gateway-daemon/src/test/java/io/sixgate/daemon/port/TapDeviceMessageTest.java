package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The one-line reasons a port cannot be opened, for each errno the kernel gives.
 */
class TapDeviceMessageTest
{
    @Test
    void noPermissionSaysRunAsRoot()
    {
        assertEquals("cannot open /dev/net/tun: Operation not permitted (run as root)",
            TapDevice.openFailure(LibC.EPERM, "Operation not permitted"));
        assertEquals("cannot open /dev/net/tun: Permission denied (run as root)",
            TapDevice.openFailure(LibC.EACCES, "Permission denied"));
        assertEquals("cannot create TAP device sg-vpc0: Operation not permitted (run as root, or with CAP_NET_ADMIN)",
            TapDevice.attachFailure("sg-vpc0", false, LibC.EPERM, "Operation not permitted"));
    }

    @Test
    void noDriverSaysHowToGetOne()
    {
        assertEquals("cannot open /dev/net/tun: No such file or directory (no TUN/TAP driver here: load it with"
            + " 'modprobe tun', or give a container /dev/net/tun)",
            TapDevice.openFailure(LibC.ENOENT, "No such file or directory"));
    }

    @Test
    void busyAndWrongKindOfDeviceSayWhy()
    {
        assertEquals("cannot attach to TAP device sg-vpc0: Device or resource busy (another process has it open)",
            TapDevice.attachFailure("sg-vpc0", true, LibC.EBUSY, "Device or resource busy"));
        assertEquals("cannot attach to TAP device eth0: Invalid argument (an interface of that name exists and is"
            + " not a single-queue TAP device; pick another ports[].device or delete it)",
            TapDevice.attachFailure("eth0", true, LibC.EINVAL, "Invalid argument"));
    }

    @Test
    void theSystemsTextComesFromStrerror()
    {
        assertEquals("Operation not permitted", LibC.INSTANCE.strerror(LibC.EPERM));
    }
}
