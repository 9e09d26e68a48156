package io.sixgate.daemon.port;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * The few libc calls the ports need that the JDK and Netty do not offer: {@code open} with
 * flags, {@code ioctl} for TUNSETIFF, TUNSETVNETHDRSZ, TUNSETOFFLOAD and the interface ioctls, {@code fcntl} for a pcap port's
 * socket, {@code socket} and {@code bind} for a pcap port's injection sockets, {@code socketpair}
 * for tests, {@code setpriority} for the ingest threads.
 * Start-up only: JNA boxes arguments, so nothing here is called on the packet path.
 *
 * <p>Every call declares {@link LastErrorException} so JNA turns {@code -1} into an exception
 * that carries {@code errno}; {@link #describe(LastErrorException)} makes it readable.
 */
interface LibC extends Library
{
    LibC INSTANCE = Native.load("c", LibC.class);

    int O_RDWR = 0x2;
    int O_NONBLOCK = 0x800;
    int O_CLOEXEC = 0x80000;

    int AF_UNIX = 1;
    int AF_INET = 2;
    int AF_PACKET = 17;
    int SOCK_RAW = 3;
    int SOCK_DGRAM = 2;
    int SOCK_SEQPACKET = 5;
    int SOCK_NONBLOCK = 0x800;
    int SOCK_CLOEXEC = 0x80000;

    int PRIO_PROCESS = 0;

    int EPERM = 1;
    int ENOENT = 2;
    int ENXIO = 6;
    int EAGAIN = 11;
    int EBADF = 9;
    int EACCES = 13;
    int EBUSY = 16;
    int ENODEV = 19;
    int EINVAL = 22;
    int ENOBUFS = 105;

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    /**
     * @param request the ioctl number (an {@code unsigned long} in C).
     * @param arg     the argument structure, copied in and back out by JNA.
     */
    int ioctl(int fd, NativeLong request, byte[] arg) throws LastErrorException;

    /**
     * An ioctl whose argument is a value, not a pointer (TUNSETOFFLOAD).
     */
    int ioctl(int fd, NativeLong request, NativeLong arg) throws LastErrorException;

    /**
     * {@code fcntl} with an {@code int} argument (F_GETFL, F_SETFL).
     */
    int fcntl(int fd, int command, int arg) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int socketpair(int domain, int type, int protocol, int[] fds) throws LastErrorException;

    /**
     * @param address a {@code struct sockaddr} of {@code length} bytes, e.g. a {@code sockaddr_ll}.
     */
    int bind(int fd, byte[] address, int length) throws LastErrorException;

    /**
     * @return the interface index, 0 when no interface has that name in this network namespace.
     */
    int if_nametoindex(String name);

    /**
     * @return the calling thread's id (glibc 2.30 and later).
     */
    int gettid();

    /**
     * @param which {@link #PRIO_PROCESS}: {@code who} is a thread id, the nice value being per thread on Linux.
     */
    int setpriority(int which, int who, int prio) throws LastErrorException;

    /**
     * @return the nice value; -1 is a value too (JNA clears errno before the call and throws only when it is set).
     */
    int getpriority(int which, int who) throws LastErrorException;

    String strerror(int errno);

    /**
     * @return the C library's text for the exception's errno, e.g. {@code Operation not permitted}.
     */
    static String describe(final LastErrorException ex)
    {
        return INSTANCE.strerror(ex.getErrorCode());
    }
}
