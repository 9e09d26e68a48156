package io.sixgate.daemon.port;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libpcap calls that open and close a live capture, through JNA on the library pcap4j
 * loads (the same {@code org.pcap4j.core.pcapLibName} property, {@code pcap} by default).
 * Start-up only: JNA's interface mapping converts and boxes arguments, so the per-frame calls
 * are in {@link PcapDirect} instead. pcap4j's own {@code PcapHandle} is not used for a live
 * port: it gives neither the selectable descriptor nor the handle's address, and its read
 * copies every frame into a new {@code byte[]}.
 */
interface LibPcap extends Library
{
    String NAME = System.getProperty("org.pcap4j.core.pcapLibName", "pcap");

    LibPcap INSTANCE = Native.load(NAME, LibPcap.class);

    int PCAP_ERRBUF_SIZE = 256;

    /** {@code pcap_direction_t}: capture only what the interface received. */
    int PCAP_D_IN = 1;

    /** {@code DLT_EN10MB}: Ethernet framing. */
    int DLT_EN10MB = 1;

    int PCAP_ERROR = -1;
    int PCAP_ERROR_NO_SUCH_DEVICE = -5;
    int PCAP_ERROR_PERM_DENIED = -8;
    int PCAP_ERROR_IFACE_NOT_UP = -9;
    int PCAP_ERROR_PROMISC_PERM_DENIED = -11;

    Pointer pcap_create(String source, byte[] errbuf);

    int pcap_set_snaplen(Pointer pcap, int snaplen);

    int pcap_set_promisc(Pointer pcap, int promisc);

    int pcap_set_immediate_mode(Pointer pcap, int immediate);

    int pcap_activate(Pointer pcap);

    int pcap_setdirection(Pointer pcap, int direction);

    int pcap_setnonblock(Pointer pcap, int nonblock, byte[] errbuf);

    int pcap_get_selectable_fd(Pointer pcap);

    int pcap_datalink(Pointer pcap);

    String pcap_geterr(Pointer pcap);

    String pcap_statustostr(int status);

    String pcap_lib_version();

    void pcap_close(Pointer pcap);

    /**
     * @return the NUL-terminated text libpcap left in {@code errbuf}.
     */
    static String text(final byte[] errbuf)
    {
        return Native.toString(errbuf, "US-ASCII");
    }
}
