package io.sixgate.daemon.control;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An IPv6 EIP binding as the admin API shows it, with the IPv6 address clients use.
 *
 * @param publicAddress  the EIP, embedded in the IPv6 destination.
 * @param privateAddress the instance's IPv4 address.
 * @param ipv6           pool6 + the EIP: what IPv6 clients connect to.
 */
public record EipView(
    @JsonProperty("public") String publicAddress, @JsonProperty("private") String privateAddress, String ipv6)
{
}
