package io.sixgate.bench;

/**
 * The flags of every forked benchmark JVM, for {@code @Fork(jvmArgs = ...)}: those scripts/sixgate
 * runs the program with ({@code sixgate.jvm.args} of the parent pom: Agrona reaches
 * {@code jdk.internal.misc.Unsafe}, Netty and Agrona use direct-buffer internals, JNA loads
 * native code; and no Agrona bounds checks). Annotations need compile-time constants, hence one
 * constant per flag.
 */
public final class BenchJvm
{
    public static final String ADD_EXPORTS_MISC = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    public static final String ADD_OPENS_NIO_CH = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String ADD_OPENS_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /**
     * As scripts/sixgate runs the program: without Agrona's bounds checks (the tests keep them).
     * {@code -jvmArgsAppend -Dagrona.disable.bounds.checks=false} measures with them.
     */
    public static final String NO_BOUNDS_CHECKS = "-Dagrona.disable.bounds.checks=true";

    private BenchJvm()
    {
    }
}
