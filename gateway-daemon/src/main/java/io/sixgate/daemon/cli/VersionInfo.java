package io.sixgate.daemon.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.pcap4j.core.Pcaps;

import picocli.CommandLine.IVersionProvider;

/**
 * The version lines: sixgate's (from the build), the JVM's, and libpcap's, since replay needs
 * libpcap at run time and its absence is the first thing to rule out.
 */
final class VersionInfo implements IVersionProvider
{
    static final String RESOURCE = "io/sixgate/daemon/version.properties";

    @Override
    public String[] getVersion()
    {
        return new String[]{
            "sixgate " + sixgateVersion(),
            "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
            "libpcap: " + libpcapVersion()};
    }

    static String sixgateVersion()
    {
        try (InputStream input = VersionInfo.class.getClassLoader().getResourceAsStream(RESOURCE))
        {
            if (input == null)
            {
                return "(unknown version)";
            }
            final Properties properties = new Properties();
            properties.load(input);
            return properties.getProperty("version", "(unknown version)");
        }
        catch (final IOException ex)
        {
            return "(unknown version)";
        }
    }

    private static String libpcapVersion()
    {
        try
        {
            return Pcaps.libVersion();
        }
        catch (final LinkageError ex)
        {
            return "not found (install Debian's libpcap0.8, e.g. with scripts/setup-debian.sh)";
        }
    }
}
