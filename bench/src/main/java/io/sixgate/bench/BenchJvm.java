package io.sixgate.bench;

/**
 * The flags every forked benchmark JVM needs, for {@code @Fork(jvmArgsAppend = ...)}: the same as
 * {@code sixgate.jvm.args} in the parent pom (Agrona reaches {@code jdk.internal.misc.Unsafe};
 * Netty and Agrona use direct-buffer internals; JNA loads native code). Annotations need
 * compile-time constants, hence one constant per flag.
 */
public final class BenchJvm
{
    public static final String ADD_EXPORTS_MISC = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    public static final String ADD_OPENS_NIO_CH = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String ADD_OPENS_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private BenchJvm()
    {
    }
}
