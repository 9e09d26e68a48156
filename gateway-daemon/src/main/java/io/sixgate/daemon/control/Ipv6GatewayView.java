package io.sixgate.daemon.control;

import java.util.List;

/**
 * The IPv6 gateway's policy as the running gateway holds it ({@code GET /v1/ipv6-gateway}): the
 * configuration's keys, with the changes made through the admin API since the last reload.
 *
 * @param vpc          the VPC's prefixes.
 * @param internetPort the outside port.
 * @param flows        egress-only flows in the table now.
 * @param maxFlows     the table's capacity ({@code max-flows}).
 * @param addresses    the rules, in the order they were made.
 */
public record Ipv6GatewayView(
    List<String> vpc,
    String internetPort,
    int flows,
    int maxFlows,
    List<Ipv6GatewayRuleView> addresses)
{
    public Ipv6GatewayView
    {
        vpc = List.copyOf(vpc);
        addresses = List.copyOf(addresses);
    }
}
