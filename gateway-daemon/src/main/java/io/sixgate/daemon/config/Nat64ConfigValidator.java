package io.sixgate.daemon.config;

import java.util.ArrayList;
import java.util.List;

import io.sixgate.core.net.Ipv4Prefix;
import io.sixgate.nat64.address.EamTable;
import io.sixgate.nat64.address.Rfc6052Prefix;
import io.sixgate.nat64.address.Rfc6791Pool;
import io.sixgate.nat64.siit.Rfc6791Ipv6Pool;
import io.sixgate.nat64.siit.TranslatorConfig;

/**
 * Checks the {@code nat64} section; every refusal names the key path (and so the line).
 */
final class Nat64ConfigValidator
{
    private final ConfigValidator common;

    Nat64ConfigValidator(final ConfigValidator common)
    {
        this.common = common;
    }

    Nat64Config validate(final RawConfig.Nat64 raw, final List<RawConfig.Eip> eip) throws ConfigException
    {
        final String mode = raw.mode() == null ? Nat64Config.MODE_SIIT : raw.mode();
        if (!Nat64Config.MODE_SIIT.equals(mode) && !Nat64Config.MODE_STATEFUL.equals(mode))
        {
            throw common.error("nat64.mode", "must be siit or stateful, got \"" + mode + "\"");
        }
        final boolean stateful = Nat64Config.MODE_STATEFUL.equals(mode);
        if (!stateful)
        {
            refuseStatefulKeys(raw, eip);
        }
        else
        {
            refuseSiitKeys(raw);
        }

        final boolean wkpGlobalOnly = raw.wkpGlobalOnly() == null
            ? Rfc6052Prefix.WKP_GLOBAL_ONLY_DEFAULT : raw.wkpGlobalOnly();
        Rfc6052Prefix pool6 = null;
        if (raw.prefix() != null)
        {
            final IpCidr prefix = common.cidr(raw.prefix(), "nat64.prefix");
            if (!prefix.isIpv6())
            {
                throw common.error("nat64.prefix", "must be an IPv6 prefix, got " + raw.prefix());
            }
            try
            {
                // RFC 6052 §2.2: lengths 32, 40, 48, 56, 64 or 96, bits 64-71 (the u-octet) zero.
                pool6 = Rfc6052Prefix.parse(prefix.toString(), wkpGlobalOnly);
            }
            catch (final IllegalArgumentException ex)
            {
                throw common.error("nat64.prefix", ex.getMessage());
            }
        }

        final EamTable.Builder eamt = EamTable.builder();
        final List<RawConfig.Eam> rawEamt = raw.eamt() == null ? List.of() : raw.eamt();
        for (int i = 0; i < rawEamt.size(); i++)
        {
            final String path = "nat64.eamt[" + i + "]";
            final RawConfig.Eam entry = rawEamt.get(i);
            final IpCidr ipv4 = common.cidr(common.required(entry.ipv4(), path, "ipv4"), path + ".ipv4");
            final IpCidr ipv6 = common.cidr(common.required(entry.ipv6(), path, "ipv6"), path + ".ipv6");
            if (ipv4.isIpv6() || !ipv6.isIpv6())
            {
                throw common.error(path, "ipv4 must be an IPv4 prefix and ipv6 an IPv6 prefix");
            }
            try
            {
                // RFC 7757 §3.2: suffix lengths must fit; overlapping entries are refused.
                eamt.add(ipv4.toString(), ipv6.toString());
            }
            catch (final IllegalArgumentException ex)
            {
                throw common.error(path, ex.getMessage());
            }
        }
        final EamTable table = eamt.build();
        if (pool6 == null && table.size() == 0)
        {
            throw common.error("nat64", "needs a prefix (RFC 6052) or at least one eamt entry (RFC 7757)");
        }

        final List<IpCidr> translateIpv4 = ipv4Prefixes(raw.translateIpv4(), "nat64.translate-ipv4");
        if (pool6 == null && !translateIpv4.isEmpty())
        {
            throw common.error("nat64.translate-ipv4", "needs nat64.prefix: without it these addresses map to nothing");
        }

        final List<IpCidr> rfc6791V4 = ipv4Prefixes(raw.rfc6791V4(), "nat64.rfc6791-v4");
        final Rfc6791Pool pool4;
        try
        {
            final Ipv4Prefix[] prefixes = new Ipv4Prefix[rfc6791V4.size()];
            for (int i = 0; i < prefixes.length; i++)
            {
                prefixes[i] = Ipv4Prefix.parse(rfc6791V4.get(i).toString());
            }
            pool4 = Rfc6791Pool.of(prefixes);
        }
        catch (final IllegalArgumentException ex)
        {
            throw common.error("nat64.rfc6791-v4", ex.getMessage());
        }

        final List<String> rawV6 = raw.rfc6791V6() == null ? List.of() : raw.rfc6791V6();
        for (int i = 0; i < rawV6.size(); i++)
        {
            if (!common.cidr(rawV6.get(i), "nat64.rfc6791-v6[" + i + "]").isIpv6())
            {
                throw common.error("nat64.rfc6791-v6[" + i + "]", "must be an IPv6 prefix, got " + rawV6.get(i));
            }
        }
        final Rfc6791Ipv6Pool pool6Errors;
        try
        {
            pool6Errors = Rfc6791Ipv6Pool.parse(rawV6.toArray(new String[0]));
        }
        catch (final IllegalArgumentException ex)
        {
            throw common.error("nat64.rfc6791-v6", ex.getMessage());
        }

        // RFC 7915 §4.1: the threshold may only be raised above the IPv6 minimum MTU.
        final int lowestIpv6Mtu = common.intOr(raw.lowestIpv6Mtu(), "nat64.lowest-ipv6-mtu",
            TranslatorConfig.IPV6_MIN_MTU, TranslatorConfig.IPV6_MIN_MTU, 65535);

        return new Nat64Config(pool6, table, translateIpv4, pool4, pool6Errors, lowestIpv6Mtu,
            Boolean.TRUE.equals(raw.amendUdpChecksumZero()), Boolean.TRUE.equals(raw.zeroizeTrafficClass()),
            raw.icmpErrors() == null || raw.icmpErrors(),
            stateful ? new Nat64StatefulValidator(common).validate(raw, eip, pool6) : null);
    }

    private void refuseStatefulKeys(final RawConfig.Nat64 raw, final List<RawConfig.Eip> eip) throws ConfigException
    {
        final String[] keys = {"pool4", "static-bib", "timeouts", "max-sessions", "max-sessions-per-source", "max-sources",
            "filtering", "snapshot-file"};
        final Object[] values = {raw.pool4(), raw.staticBib(), raw.timeouts(), raw.maxSessions(),
            raw.maxSessionsPerSource(), raw.maxSources(), raw.filtering(), raw.snapshotFile()};
        for (int i = 0; i < keys.length; i++)
        {
            if (values[i] != null)
            {
                throw common.error("nat64." + keys[i], "needs nat64.mode: stateful");
            }
        }
        if (eip != null)
        {
            throw common.error("eip", "needs nat64.mode: stateful (IPv6 EIPs are stateful NAT64)");
        }
    }

    private void refuseSiitKeys(final RawConfig.Nat64 raw) throws ConfigException
    {
        if (raw.eamt() != null)
        {
            throw common.error("nat64.eamt", "is SIIT only (RFC 7757); stateful NAT64 maps through pool4");
        }
        if (raw.translateIpv4() != null)
        {
            throw common.error("nat64.translate-ipv4", "is SIIT only; stateful NAT64 translates what goes to pool4");
        }
        if (raw.rfc6791V4() != null || raw.rfc6791V6() != null)
        {
            throw common.error(raw.rfc6791V4() != null ? "nat64.rfc6791-v4" : "nat64.rfc6791-v6",
                "is SIIT only; stateful NAT64 translates ICMP errors from the session");
        }
        if (raw.prefix() == null)
        {
            throw common.error("nat64.prefix", "required key missing (stateful NAT64 needs pool6, e.g. 64:ff9b::/96)");
        }
    }

    private List<IpCidr> ipv4Prefixes(final List<String> texts, final String path) throws ConfigException
    {
        final List<IpCidr> prefixes = new ArrayList<>();
        if (texts == null)
        {
            return prefixes;
        }
        for (int i = 0; i < texts.size(); i++)
        {
            final String itemPath = path + "[" + i + "]";
            final IpCidr prefix = common.cidr(texts.get(i), itemPath);
            if (prefix.isIpv6())
            {
                throw common.error(itemPath, "must be an IPv4 prefix, got " + texts.get(i));
            }
            if (prefix.hasHostBits())
            {
                throw common.error(itemPath, "has host bits set; the prefix is " + prefix.network());
            }
            prefixes.add(prefix);
        }
        return prefixes;
    }
}
