package io.sixgate.daemon.port;

import java.io.IOException;

import io.netty.channel.epoll.EpollIoHandle;
import io.sixgate.daemon.config.MacAddress;

import org.agrona.concurrent.EpochNanoClock;

/**
 * What the daemon needs of the thing a port is attached to: one or more queues the epoll event
 * loops read frames from into the workers' {@link IngestRing}s, something each worker writes
 * frames to, the MAC the gateway uses there and a line for the log. A TAP device (one queue per
 * worker when it is multi-queue) or a socket pair ({@link DescriptorPortDevice}), or an interface
 * captured through libpcap ({@link PcapPorts}).
 */
public interface PortDevice extends AutoCloseable
{
    /**
     * @return how many queues ingest reads: one descriptor each.
     */
    default int queues()
    {
        return 1;
    }

    /**
     * @return bytes of virtio-net header in front of each frame read and written (a TAP with
     * offload: {@link io.sixgate.core.frame.Offload#HEADER_LENGTH}), 0 for plain frames. The
     * ingest rings keep the header with the frame; the worker turns it into the frame's offload state.
     */
    default int virtioHeaderLength()
    {
        return 0;
    }

    /**
     * Makes the reader of one queue that the daemon registers on an epoll event loop for EPOLLIN;
     * called once per queue.
     *
     * @param queue    0 to {@link #queues()} - 1.
     * @param dispatch where the queue's frames go (the workers' rings); the handle is their only producer.
     * @param counters where the queue's own ingest drops are counted.
     * @param clock    stamps each frame at receive; used on the event loop thread only.
     */
    EpollIoHandle ingest(int queue, IngestDispatch dispatch, PortCounters counters, EpochNanoClock clock);

    /**
     * @param worker the worker that will write with it (each worker gets its own).
     * @return what the worker sends this port's frames with.
     */
    FrameWriter writer(int worker);

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
