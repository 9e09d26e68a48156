package io.sixgate.daemon.port;

import java.io.IOException;

import io.netty.channel.epoll.EpollIoHandle;
import io.sixgate.daemon.config.MacAddress;

import org.agrona.concurrent.EpochNanoClock;

/**
 * What the daemon needs of the thing a port is attached to: something the epoll event loop
 * reads frames from into the port's {@link IngestRing}, something the worker writes frames to,
 * the MAC the gateway uses there and a line for the log. A TAP device or a socket pair
 * ({@link DescriptorPortDevice}), or an interface captured through libpcap ({@link PcapPorts}).
 */
public interface PortDevice extends AutoCloseable
{
    /**
     * Makes the reader the daemon registers on its epoll event loop for EPOLLIN; called once.
     *
     * @param portId   the port whose frames these are.
     * @param ring     the port's ring to the worker; the handle is its only producer.
     * @param counters where ingest drops are counted.
     * @param clock    stamps each frame at receive; used on the event loop thread only.
     */
    EpollIoHandle ingest(int portId, IngestRing ring, PortCounters counters, EpochNanoClock clock);

    /**
     * @return what the worker sends this port's frames with.
     */
    FrameWriter writer();

    /**
     * @return the gateway's MAC on this port: the source of its frames, what ARP and NDP answer with.
     */
    MacAddress mac();

    /**
     * @return what was opened, for the log: {@code created TAP device sg-vpc0, mtu 1500, up}.
     */
    String describe();

    @Override
    void close() throws IOException;
}
