package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import io.sixgate.daemon.config.MacAddress;
import io.sixgate.daemon.config.PortConfig;
import io.sixgate.daemon.config.PortType;

import org.junit.jupiter.api.Test;

/**
 * The one-line errors of a pcap port that cannot be opened, without root: the lines themselves,
 * and the paths that fail before anything is opened.
 */
class PcapPortMessageTest
{
    private static PortConfig pcapPort(final String name, final String device)
    {
        return new PortConfig(name, PortType.PCAP, device, MacAddress.derivedFrom(name), false, 1500, List.of());
    }

    @Test
    void anInterfaceThatDoesNotExistIsNamed()
    {
        final PortOpenException ex = assertThrows(PortOpenException.class,
            () -> PcapPorts.open(pcapPort("wan", "sgnosuch0")));

        assertEquals("port wan: no interface named \"sgnosuch0\" (pcap)", ex.getMessage());
    }

    @Test
    void theHostOpenerSendsAPcapPortToPcapPorts()
    {
        final PortOpenException ex = assertThrows(PortOpenException.class,
            () -> new HostPortOpener().open(pcapPort("wan", "xyz")));

        assertEquals("port wan: no interface named \"xyz\" (pcap)", ex.getMessage());
    }

    @Test
    void aTapPortIsNotOpenedAsPcap()
    {
        final PortConfig tap = new PortConfig("vpc", PortType.TAP, "vpc", MacAddress.derivedFrom("vpc"), false, 1500,
            List.of());

        assertEquals("port vpc: type tap is not a pcap port",
            assertThrows(PortOpenException.class, () -> PcapPorts.open(tap)).getMessage());
    }

    @Test
    void noPermissionSaysWhatToRunAs()
    {
        assertEquals("cannot capture on eth1: You don't have permission to perform this capture on that device"
            + " (socket: Operation not permitted) (run as root, or with CAP_NET_RAW)",
            PcapCapture.activationFailure("eth1", LibPcap.PCAP_ERROR_PERM_DENIED, "You don't have permission to perform"
                + " this capture on that device (socket: Operation not permitted)"));
        assertEquals("cannot capture on eth1: promiscuous mode refused (run as root, or with CAP_NET_RAW)",
            PcapCapture.activationFailure("eth1", LibPcap.PCAP_ERROR_PROMISC_PERM_DENIED, "promiscuous mode refused"));
    }

    @Test
    void otherActivationFailuresSayWhatLibpcapSaid()
    {
        assertEquals("no interface named \"eth9\" (pcap)",
            PcapCapture.activationFailure("eth9", LibPcap.PCAP_ERROR_NO_SUCH_DEVICE, "No such device exists"));
        assertEquals("cannot capture on eth1: the interface is down (ip link set eth1 up)",
            PcapCapture.activationFailure("eth1", LibPcap.PCAP_ERROR_IFACE_NOT_UP, "That device is not up"));
        assertEquals("cannot capture on eth1: bind: Network is down",
            PcapCapture.activationFailure("eth1", LibPcap.PCAP_ERROR, "bind: Network is down"));
    }

    @Test
    void anInterfaceThatIsNotEthernetIsRefused()
    {
        assertEquals("cannot use tun0 as a pcap port: its link type is DLT 12, and ports carry Ethernet frames"
            + " (DLT_EN10MB)", PcapCapture.notEthernet("tun0", 12));
    }

    @Test
    void anInterfaceMtuBelowThePortsIsRefused()
    {
        assertEquals("interface eth1 has MTU 1400, less than the port's mtu 1500: the gateway would send frames it"
            + " cannot carry; lower ports[].mtu or raise the interface's (ip link set eth1 mtu 1500)",
            PcapPorts.mtuTooSmall("eth1", 1400, 1500));
    }

    @Test
    void libpcapIsLoadedAndSaysItsVersion()
    {
        final String version = PcapCapture.libraryVersion();

        org.junit.jupiter.api.Assertions.assertTrue(version.startsWith("libpcap version "), version);
    }
}
