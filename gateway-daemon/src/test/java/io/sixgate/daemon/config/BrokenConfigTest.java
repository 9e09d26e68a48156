package io.sixgate.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every refused configuration names the key path and the line, in the exact words users see.
 */
class BrokenConfigTest
{
    static Stream<Arguments> brokenConfigs()
    {
        return Stream.of(
            Arguments.of("ipv6-gateway without vpc", """
                ports: [{name: wan, type: tap}]
                ipv6-gateway:
                  internet-port: wan
                """, "config.yaml line 2: ipv6-gateway: needs vpc: the VPC's IPv6 prefixes"),

            Arguments.of("ipv6-gateway unknown internet port", """
                ports: [{name: wan, type: tap}]
                ipv6-gateway:
                  vpc: ["2001:db8:100::/48"]
                  internet-port: internet
                """, "config.yaml line 4: ipv6-gateway.internet-port: no port named \"internet\""),

            Arguments.of("ipv6-gateway bandwidth above 5000 Mbit/s", """
                ports: [{name: wan, type: tap}]
                ipv6-gateway:
                  vpc: ["2001:db8:100::/48"]
                  internet-port: wan
                  addresses:
                    - {address: "2001:db8:100::10", bandwidth-mbps: 5001}
                """, "config.yaml line 6: ipv6-gateway.addresses[0].bandwidth-mbps: must be 0..5000, got 5001"),

            Arguments.of("ipv6-gateway egress-only without bandwidth", """
                ports: [{name: wan, type: tap}]
                ipv6-gateway:
                  vpc: ["2001:db8:100::/48"]
                  internet-port: wan
                  addresses:
                    - {address: "2001:db8:100::10", egress-only: true}
                """, "config.yaml line 6: ipv6-gateway.addresses[0].egress-only: needs bandwidth-mbps of 1 or more"
                + " (an egress-only rule applies to an address with Internet bandwidth)"),

            Arguments.of("ipv6-gateway address outside the vpc", """
                ports: [{name: wan, type: tap}]
                ipv6-gateway:
                  vpc: ["2001:db8:100::/48"]
                  internet-port: wan
                  addresses:
                    - {address: "2001:db8:200::10", bandwidth-mbps: 10}
                """, "config.yaml line 6: ipv6-gateway.addresses[0]: 2001:db8:200::10/128 is not inside a vpc prefix"),

            Arguments.of("ipv6-gateway address that is a prefix", """
                ports: [{name: wan, type: tap}]
                ipv6-gateway:
                  vpc: ["2001:db8:100::/48"]
                  internet-port: wan
                  addresses:
                    - {address: "2001:db8:100::/64", bandwidth-mbps: 10}
                """, "config.yaml line 6: ipv6-gateway.addresses[0].address: one address, got the prefix"
                + " 2001:db8:100::/64; write prefix: \"2001:db8:100::/64\" for a prefix"),

            Arguments.of("nat64 pool4 address twice (overlapping pools)", """
                ports:
                  - {name: v6, type: tap, addresses: ["2001:db8::1/64"]}
                  - {name: v4, type: tap, addresses: [10.0.1.1/24]}
                nat64:
                  mode: stateful
                  prefix: "64:ff9b::/96"
                  pool4:
                    - {address: 198.51.100.10, ports: 1-1000}
                    - {address: 198.51.100.10, ports: 500-2000}
                """, "config.yaml line 9: nat64.pool4[1].address: address 198.51.100.10 is in pool4 twice"),

            Arguments.of("eip public address bound twice", """
                ports:
                  - {name: v6, type: tap, addresses: ["2001:db8::1/64"]}
                  - {name: v4, type: tap, addresses: [10.0.1.1/24]}
                nat64:
                  mode: stateful
                  prefix: "64:ff9b::/96"
                  pool4: [{address: 198.51.100.10}]
                eip:
                  - {public: 203.0.113.5, private: 10.0.1.5}
                  - {public: 203.0.113.5, private: 10.0.1.6}
                """, "config.yaml line 10: eip[1]: binds an address eip[0] binds already"),

            Arguments.of("nat64 max-sessions zero", """
                ports:
                  - {name: v6, type: tap, addresses: ["2001:db8::1/64"]}
                  - {name: v4, type: tap, addresses: [10.0.1.1/24]}
                nat64:
                  mode: stateful
                  prefix: "64:ff9b::/96"
                  pool4: [{address: 198.51.100.10}]
                  max-sessions: 0
                """, "config.yaml line 8: nat64.max-sessions: must be 1..22369620, got 0"),

            Arguments.of("nat64 per-source quota above max-sessions", """
                ports:
                  - {name: v6, type: tap, addresses: ["2001:db8::1/64"]}
                  - {name: v4, type: tap, addresses: [10.0.1.1/24]}
                nat64:
                  mode: stateful
                  prefix: "64:ff9b::/96"
                  pool4: [{address: 198.51.100.10}]
                  max-sessions: 10
                  max-sessions-per-source: 20
                """, "config.yaml line 9: nat64.max-sessions-per-source: must be 1..10, got 20"),

            Arguments.of("nat64 source table larger than max-sessions", """
                ports:
                  - {name: v6, type: tap, addresses: ["2001:db8::1/64"]}
                  - {name: v4, type: tap, addresses: [10.0.1.1/24]}
                nat64:
                  mode: stateful
                  prefix: "64:ff9b::/96"
                  pool4: [{address: 198.51.100.10}]
                  max-sessions: 10
                  max-sources: 20
                """, "config.yaml line 9: nat64.max-sources: must be 1..10, got 20"),

            Arguments.of("nat64 source table smaller than the static BIB", """
                ports:
                  - {name: v6, type: tap, addresses: ["2001:db8::1/64"]}
                  - {name: v4, type: tap, addresses: [10.0.1.1/24]}
                nat64:
                  mode: stateful
                  prefix: "64:ff9b::/96"
                  pool4: [{address: 198.51.100.10}]
                  static-bib:
                    - {protocol: tcp, ipv6-address: "2001:db8::80", ipv6-port: 80, ipv4-address: 198.51.100.10, ipv4-port: 80}
                    - {protocol: tcp, ipv6-address: "2001:db8::81", ipv6-port: 80, ipv4-address: 198.51.100.10, ipv4-port: 81}
                  max-sources: 1
                """, "config.yaml line 11: nat64.max-sources: must be 2..65536, got 1"),

            Arguments.of("frame pool of no frames", """
                ports: [{name: wan, type: tap}]
                frame-pool: {frames: 0}
                """, "config.yaml line 2: frame-pool.frames: must be 1..1048576, got 0"),

            Arguments.of("no workers", """
                ports: [{name: wan, type: tap}]
                workers: 0
                """, "config.yaml line 2: workers: must be 1..64, got 0"),

            Arguments.of("YAML alias without a name (a syntax error whose text had a line break)", """
                *
                """, "config.yaml line 1: YAML syntax error: unexpected character found (10)"),

            Arguments.of("ipv6-gateway address and prefix together", """
                ports: [{name: wan, type: tap}]
                ipv6-gateway:
                  vpc: ["2001:db8:100::/48"]
                  internet-port: wan
                  addresses:
                    - {address: "2001:db8:100::10", prefix: "2001:db8:100::/64", bandwidth-mbps: 10}
                """, "config.yaml line 6: ipv6-gateway.addresses[0]: needs exactly one of address and prefix"),

            Arguments.of("network ACL with a duplicate priority", """
                ports: [{name: wan, type: tap}]
                vpc: ["2001:db8:100::/48"]
                network-acls:
                  - name: web
                    subnets: ["2001:db8:100:1::/64"]
                    rules:
                      - {priority: 100, direction: inbound, protocol: tcp, cidr: "::/0", ports: 443, action: allow}
                      - {priority: 100, direction: outbound, protocol: any, cidr: "::/0", action: allow}
                """, "config.yaml line 8: network-acls[0].rules[1].priority: duplicate priority 100 (first at"
                + " network-acls[0].rules[0], line 7): priorities are unique in a network ACL"),

            Arguments.of("network ACL priority out of range", """
                ports: [{name: wan, type: tap}]
                vpc: ["2001:db8:100::/48"]
                network-acls:
                  - name: web
                    subnets: ["2001:db8:100:1::/64"]
                    rules:
                      - {priority: 0, direction: inbound, protocol: tcp, cidr: "::/0", action: allow}
                """, "config.yaml line 7: network-acls[0].rules[0].priority: must be 1..32766, got 0"),

            Arguments.of("network ACL rule for icmp from an IPv6 cidr", """
                ports: [{name: wan, type: tap}]
                vpc: ["2001:db8:100::/48"]
                network-acls:
                  - name: web
                    subnets: ["2001:db8:100:1::/64"]
                    rules:
                      - {priority: 10, direction: inbound, protocol: icmp, cidr: "::/0", action: allow}
                """, "config.yaml line 7: network-acls[0].rules[0].cidr: protocol icmp is ICMPv4 and never comes from"
                + " the IPv6 cidr ::/0 (use icmpv6)"),

            Arguments.of("network ACL port range reversed", """
                ports: [{name: wan, type: tap}]
                vpc: ["2001:db8:100::/48"]
                network-acls:
                  - name: web
                    subnets: ["2001:db8:100:1::/64"]
                    rules:
                      - {priority: 10, direction: outbound, protocol: tcp, cidr: "::/0", ports: 65535-1024, action: allow}
                """, "config.yaml line 7: network-acls[0].rules[0].ports: must be a port or a range FIRST-LAST within"
                + " 0-65535, got \"65535-1024\""),

            Arguments.of("network ACL ports on a protocol without ports", """
                ports: [{name: wan, type: tap}]
                vpc: ["2001:db8:100::/48"]
                network-acls:
                  - name: web
                    subnets: ["2001:db8:100:1::/64"]
                    rules:
                      - {priority: 10, direction: inbound, protocol: icmpv6, cidr: "::/0", ports: 1-2, action: allow}
                """, "config.yaml line 7: network-acls[0].rules[0].ports: only tcp and udp rules have ports"),

            Arguments.of("network ACL unknown direction", """
                ports: [{name: wan, type: tap}]
                vpc: ["2001:db8:100::/48"]
                network-acls:
                  - name: web
                    subnets: ["2001:db8:100:1::/64"]
                    rules:
                      - {priority: 10, direction: ingress, protocol: tcp, cidr: "::/0", action: allow}
                """, "config.yaml line 7: network-acls[0].rules[0].direction: must be inbound or outbound, got"
                + " \"ingress\""),

            Arguments.of("network ACL unknown action", """
                ports: [{name: wan, type: tap}]
                vpc: ["2001:db8:100::/48"]
                network-acls:
                  - name: web
                    subnets: ["2001:db8:100:1::/64"]
                    rules:
                      - {priority: 10, direction: inbound, protocol: tcp, cidr: "::/0", action: accept}
                """, "config.yaml line 7: network-acls[0].rules[0].action: must be allow or deny, got \"accept\""),

            Arguments.of("network ACL unknown protocol", """
                ports: [{name: wan, type: tap}]
                vpc: ["2001:db8:100::/48"]
                network-acls:
                  - name: web
                    subnets: ["2001:db8:100:1::/64"]
                    rules:
                      - {priority: 10, direction: inbound, protocol: sctp6, cidr: "::/0", action: allow}
                """, "config.yaml line 7: network-acls[0].rules[0].protocol: must be tcp, udp, icmp, icmpv6, any or a"
                + " protocol number 0..255, got \"sctp6\""),

            Arguments.of("network ACL subnet outside the VPC", """
                ports: [{name: wan, type: tap}]
                vpc: ["2001:db8:100::/48"]
                network-acls:
                  - name: web
                    subnets: ["2001:db8:200:1::/64"]
                """, "config.yaml line 5: network-acls[0].subnets[0]: 2001:db8:200:1::/64 is not inside the VPC (vpc:"
                + " 2001:db8:100::/48)"),

            Arguments.of("network ACL IPv4 subnet without an IPv4 VPC prefix", """
                ports: [{name: wan, type: tap}]
                ipv6-gateway:
                  vpc: ["2001:db8:100::/48"]
                  internet-port: wan
                network-acls:
                  - name: app
                    subnets: [10.0.1.0/24]
                """, "config.yaml line 7: network-acls[0].subnets[0]: 10.0.1.0/24 is not inside the VPC (no IPv4"
                + " prefix in vpc)"),

            Arguments.of("network ACL subnets of two ACLs overlap", """
                ports: [{name: wan, type: tap}]
                vpc: [10.0.0.0/16]
                network-acls:
                  - name: wide
                    subnets: [10.0.0.0/20]
                  - name: narrow
                    subnets: [10.0.1.0/24]
                """, "config.yaml line 7: network-acls[1].subnets[0]: 10.0.1.0/24 overlaps 10.0.0.0/20 of network ACL"
                + " wide (network-acls[0].subnets[0], line 5): a subnet has one network ACL"),

            Arguments.of("network ACL name given twice", """
                ports: [{name: wan, type: tap}]
                vpc: [10.0.0.0/16]
                network-acls:
                  - {name: web, subnets: [10.0.1.0/24]}
                  - {name: web, subnets: [10.0.2.0/24]}
                """, "config.yaml line 5: network-acls[1].name: duplicate network ACL name \"web\" (first at"
                + " network-acls[0], line 4)"),

            Arguments.of("vpc prefix with host bits", """
                ports: [{name: wan, type: tap}]
                vpc: [10.0.0.1/16]
                """, "config.yaml line 2: vpc[0]: has bits set beyond its length: 10.0.0.1/16 (did you mean"
                + " 10.0.0.0/16?)"),

            Arguments.of("security group member outside the VPC", """
                ports: [{name: wan, type: tap}]
                vpc: ["2001:db8:100::/48", 10.0.0.0/16]
                security-groups:
                  - name: web
                    members: ["2001:db8:100::10", 192.0.2.5]
                """, "config.yaml line 5: security-groups[0].members[1]: 192.0.2.5 is not inside the VPC (vpc:"
                + " 10.0.0.0/16)"),

            Arguments.of("security group member given as a prefix", """
                ports: [{name: wan, type: tap}]
                vpc: [10.0.0.0/16]
                security-groups:
                  - name: web
                    members: [10.0.1.0/24]
                """, "config.yaml line 5: security-groups[0].members[0]: must be an address without a prefix length,"
                + " got 10.0.1.0/24"),

            Arguments.of("security group rule naming an unknown group", """
                ports: [{name: wan, type: tap}]
                vpc: [10.0.0.0/16]
                security-groups:
                  - name: db
                    members: [10.0.2.5]
                    inbound:
                      - {protocol: tcp, group: webs, ports: 5432}
                  - name: web
                    members: [10.0.1.5]
                """, "config.yaml line 7: security-groups[0].inbound[0].group: no security group named \"webs\""
                + " (security groups: db, web)"),

            Arguments.of("security group rule with cidr and group", """
                ports: [{name: wan, type: tap}]
                vpc: [10.0.0.0/16]
                security-groups:
                  - name: web
                    members: [10.0.1.5]
                    inbound:
                      - {protocol: tcp, cidr: 0.0.0.0/0, group: web, ports: 80}
                """, "config.yaml line 7: security-groups[0].inbound[0]: needs exactly one of cidr and group"),

            Arguments.of("security group rule for icmpv6 from an IPv4 cidr", """
                ports: [{name: wan, type: tap}]
                vpc: [10.0.0.0/16]
                security-groups:
                  - name: web
                    members: [10.0.1.5]
                    outbound:
                      - {protocol: icmpv6, cidr: 0.0.0.0/0}
                """, "config.yaml line 7: security-groups[0].outbound[0].cidr: protocol icmpv6 never comes from the"
                + " IPv4 cidr 0.0.0.0/0 (use icmp)"),

            Arguments.of("security group name given twice", """
                ports: [{name: wan, type: tap}]
                vpc: [10.0.0.0/16]
                security-groups:
                  - {name: web, members: [10.0.1.5]}
                  - {name: web, members: [10.0.1.6]}
                """, "config.yaml line 5: security-groups[1].name: duplicate security group name \"web\" (first at"
                + " security-groups[0], line 4)"),

            Arguments.of("connection-tracking without security groups", """
                ports: [{name: wan, type: tap}]
                connection-tracking: {max-flows: 1000}
                """, "config.yaml line 2: connection-tracking: is the security groups' connection table, and there"
                + " are no security-groups"),

            Arguments.of("connection-tracking share above the table", """
                ports: [{name: wan, type: tap}]
                vpc: [10.0.0.0/16]
                security-groups:
                  - {name: web, members: [10.0.1.5]}
                connection-tracking: {max-flows: 1000, max-flows-per-address: 2000}
                """, "config.yaml line 5: connection-tracking.max-flows-per-address: must be 1..1000, got 2000"),

            Arguments.of("ipv6-gateway tcp-established timeout below RFC 6092's 2 h 4 min", """
                ports: [{name: wan, type: tap}]
                ipv6-gateway:
                  vpc: ["2001:db8:100::/48"]
                  internet-port: wan
                  timeouts:
                    tcp-established: 2h
                """, "config.yaml line 6: ipv6-gateway.timeouts.tcp-established: must be 7440 s to 7 days"
                + " (RFC 6092 §3.3.1), got 2h"),

            Arguments.of("ipv6-gateway tcp-transitory timeout below RFC 6092's 4 min", """
                ports: [{name: wan, type: tap}]
                ipv6-gateway:
                  vpc: ["2001:db8:100::/48"]
                  internet-port: wan
                  timeouts: {tcp-transitory: 239}
                """, "config.yaml line 5: ipv6-gateway.timeouts.tcp-transitory: must be 240 s to 7 days"
                + " (RFC 6092 §3.3.1), got 239"),

            Arguments.of("ipv6-gateway udp timeout below RFC 6092's 2 min", """
                ports: [{name: wan, type: tap}]
                ipv6-gateway:
                  vpc: ["2001:db8:100::/48"]
                  internet-port: wan
                  timeouts:
                    udp: 1m59s
                """, "config.yaml line 6: ipv6-gateway.timeouts.udp: must be 120 s to 7 days (RFC 6092 §3.2.3),"
                + " got 1m59s"),

            Arguments.of("ipv6-gateway timeout that is no duration", """
                ports: [{name: wan, type: tap}]
                ipv6-gateway:
                  vpc: ["2001:db8:100::/48"]
                  internet-port: wan
                  timeouts: {other: 5 minutes}
                """, "config.yaml line 5: ipv6-gateway.timeouts.other: must be seconds (300) or a duration like 2h4m,"
                + " 5m, 6s, got \"5 minutes\""),

            Arguments.of("ipv6-gateway unknown timeout", """
                ports: [{name: wan, type: tap}]
                ipv6-gateway:
                  vpc: ["2001:db8:100::/48"]
                  internet-port: wan
                  timeouts: {tcp-syn: 10s}
                """, "config.yaml line 5: ipv6-gateway.timeouts.tcp-syn: unknown key (known keys: icmp, other,"
                + " tcp-established, tcp-transitory, udp)"),

            Arguments.of("nat64 unknown mode", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  mode: stateless
                  prefix: 64:ff9b::/96
                """, "config.yaml line 3: nat64.mode: must be siit or stateful, got \"stateless\""),

            Arguments.of("nat64 stateful without pool4", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  mode: stateful
                  prefix: 64:ff9b::/96
                """, "config.yaml line 2: nat64.pool4: required: at least one {address or prefix, ports, protocols}"),

            Arguments.of("nat64 stateful with an EAMT", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  mode: stateful
                  prefix: 64:ff9b::/96
                  eamt: [{ipv4: 198.51.100.0/24, ipv6: "2001:db8:1::/120"}]
                """, "config.yaml line 5: nat64.eamt: is SIIT only (RFC 7757); stateful NAT64 maps through pool4"),

            Arguments.of("nat64 pool4 port range reversed", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  mode: stateful
                  prefix: 64:ff9b::/96
                  pool4:
                    - {address: 198.51.100.10, ports: 2000-1000}
                """, "config.yaml line 6: nat64.pool4[0].ports: must be a port range FIRST-LAST within 0-65535, got \"2000-1000\""),

            Arguments.of("nat64 pool4 entries with two ranges for one protocol", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  mode: stateful
                  prefix: 64:ff9b::/96
                  pool4:
                    - {address: 198.51.100.10, ports: 1024-65535}
                    - {address: 198.51.100.11, ports: 2000-3000, protocols: [udp]}
                """, "config.yaml line 7: nat64.pool4[1].ports: every pool4 entry must give udp the same range (1024-65535), got 2000-3000"),

            Arguments.of("nat64 pool4 range too narrow for the workers", """
                workers: 4
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  mode: stateful
                  prefix: 64:ff9b::/96
                  pool4:
                    - {address: 198.51.100.10, ports: 40000-40006}
                """, "config.yaml line 6: nat64.pool4: the tcp range 40000-40006 cannot be shared by 4 workers (pool4"
                + " ports go to the workers in pairs, and each needs at least one pair); widen the range or lower workers"),

            Arguments.of("nat64 max-sessions too small for the static BIB of one worker", """
                workers: 2
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  mode: stateful
                  prefix: 64:ff9b::/96
                  max-sessions: 3
                  pool4: [{address: 198.51.100.10}]
                  static-bib:
                    - {protocol: tcp, ipv6-address: "2001:db8::80", ipv6-port: 80, ipv4-address: 198.51.100.10, ipv4-port: 80}
                    - {protocol: tcp, ipv6-address: "2001:db8::81", ipv6-port: 80, ipv4-address: 198.51.100.10, ipv4-port: 81}
                    - {protocol: tcp, ipv6-address: "2001:db8::82", ipv6-port: 80, ipv4-address: 198.51.100.10, ipv4-port: 82}
                """, "config.yaml line 6: nat64.max-sessions: 3 shared by 2 workers leaves 2 BIB entries to each, fewer"
                + " than the 3 static-bib entries one worker may hold; raise it to at least 6"),

            Arguments.of("nat64 static BIB outside pool4", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  mode: stateful
                  prefix: 64:ff9b::/96
                  pool4: [{address: 198.51.100.10}]
                  static-bib:
                    - {protocol: tcp, ipv6-address: "2001:db8::80", ipv6-port: 80, ipv4-address: 198.51.100.99, ipv4-port: 80}
                """, "config.yaml line 7: nat64.static-bib[0].ipv4-address: must be a pool4 address, got 198.51.100.99"),

            Arguments.of("nat64 UDP timeout below the RFC 6146 floor", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  mode: stateful
                  prefix: 64:ff9b::/96
                  pool4: [{address: 198.51.100.10}]
                  timeouts: {udp: 30s}
                """, "config.yaml line 6: nat64.timeouts.udp: must be 120 s to 7 days (RFC 6146 §4), got 30s"),

            Arguments.of("nat64 unknown filtering", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  mode: stateful
                  prefix: 64:ff9b::/96
                  pool4: [{address: 198.51.100.10}]
                  filtering: port-dependent
                """, "config.yaml line 6: nat64.filtering: must be endpoint-independent or address-dependent, got port-dependent"),

            Arguments.of("nat64 snapshot-file without stateful nat64", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  prefix: 64:ff9b::/96
                  snapshot-file: /var/lib/sixgate/sessions.snap
                """, "config.yaml line 4: nat64.snapshot-file: needs nat64.mode: stateful"),

            Arguments.of("nat64 snapshot-file blank", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  mode: stateful
                  prefix: 64:ff9b::/96
                  pool4: [{address: 198.51.100.10}]
                  snapshot-file: " "
                """, "config.yaml line 6: nat64.snapshot-file: must be a file path, got \" \""),

            Arguments.of("nat64 snapshot-file a directory", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  mode: stateful
                  prefix: 64:ff9b::/96
                  pool4: [{address: 198.51.100.10}]
                  snapshot-file: /var/lib/sixgate/
                """, "config.yaml line 6: nat64.snapshot-file: must be a file path, got \"/var/lib/sixgate/\""),

            Arguments.of("nat64 snapshot-file the counters file", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                counters-file: /dev/shm/sixgate/counters.dat
                nat64:
                  mode: stateful
                  prefix: 64:ff9b::/96
                  pool4: [{address: 198.51.100.10}]
                  snapshot-file: /dev/shm/sixgate/../sixgate/counters.dat
                """, "config.yaml line 7: nat64.snapshot-file: is the counters-file; the snapshot needs a file of its own"),

            Arguments.of("eip without stateful nat64", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  prefix: 64:ff9b::/96
                eip: [{public: 203.0.113.5, private: 10.0.1.5}]
                """, "config.yaml line 4: eip: needs nat64.mode: stateful (IPv6 EIPs are stateful NAT64)"),

            Arguments.of("eip binding a pool4 address", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  mode: stateful
                  prefix: 64:ff9b::/96
                  pool4: [{address: 198.51.100.10}]
                eip:
                  - {public: 198.51.100.10, private: 10.0.1.5}
                """, "config.yaml line 7: eip[0]: an EIP binding cannot use a pool4 address"),

            Arguments.of("admin listen without a port", """
                ports: [{name: v6, type: tap}]
                admin:
                  listen: 127.0.0.1
                """, "config.yaml line 3: admin.listen: must be ADDRESS:PORT (127.0.0.1:8464, \"[::1]:8464\") or off,"
                + " got \"127.0.0.1\""),

            Arguments.of("admin listen on a host name", """
                ports: [{name: v6, type: tap}]
                admin: {listen: "localhost:8464"}
                """, "config.yaml line 2: admin.listen: must be an IP address and a port (no host names), got"
                + " \"localhost:8464\""),

            Arguments.of("admin listen on an IPv6 address without brackets", """
                ports: [{name: v6, type: tap}]
                admin: {listen: "::1:8464"}
                """, "config.yaml line 2: admin.listen: must be ADDRESS:PORT (127.0.0.1:8464, \"[::1]:8464\") or off,"
                + " got \"::1:8464\""),

            Arguments.of("admin listen on port 0", """
                ports: [{name: v6, type: tap}]
                admin: {listen: "[::1]:0"}
                """, "config.yaml line 2: admin.listen: port must be 1..65535, got 0"),

            Arguments.of("admin listen on the network without a token", """
                ports: [{name: v6, type: tap}]
                admin:
                  listen: 0.0.0.0:8464
                """, "config.yaml line 3: admin.listen: 0.0.0.0:8464 is reachable from other hosts; set"
                + " admin.token-file so that the API asks for a bearer token, or listen on 127.0.0.1 or [::1]"),

            Arguments.of("admin listen on a data-plane address", """
                ports: [{name: v4, type: tap, addresses: [192.0.2.1/24]}]
                admin:
                  listen: 192.0.2.1:8464
                  token-file: /etc/sixgate/admin-token
                """, "config.yaml line 3: admin.listen: 192.0.2.1 is port v4's address: the data plane answers there,"
                + " not the host; listen on loopback or a management address"),

            Arguments.of("admin token-file empty", """
                ports: [{name: v6, type: tap}]
                admin: {token-file: " "}
                """, "config.yaml line 2: admin.token-file: must be a file path, got \" \""),

            Arguments.of("admin unknown key", """
                ports: [{name: v6, type: tap}]
                admin:
                  port: 8464
                """, "config.yaml line 3: admin.port: unknown key (known keys: listen, token-file)"),

            Arguments.of("nat64 prefix of a length RFC 6052 does not allow", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  prefix: 2001:db8:64::/80
                """, "config.yaml line 3: nat64.prefix: invalid RFC 6052 prefix 2001:db8:64::/80: the length must be "
                + "32, 40, 48, 56, 64 or 96 (RFC 6052 §2.2)"),

            Arguments.of("nat64 prefix that is IPv4", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  prefix: 192.0.2.0/24
                """, "config.yaml line 3: nat64.prefix: must be an IPv6 prefix, got 192.0.2.0/24"),

            Arguments.of("nat64 with nothing to map", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  mode: siit
                """, "config.yaml line 2: nat64: needs a prefix (RFC 6052) or at least one eamt entry (RFC 7757)"),

            Arguments.of("nat64 overlapping EAMT entries", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  eamt:
                    - {ipv4: 198.51.100.0/24, ipv6: "2001:db8:1::/120"}
                    - {ipv4: 198.51.100.0/24, ipv6: "2001:db8:2::/120"}
                """, "config.yaml line 5: nat64.eamt[1]: EAM 198.51.100.0/24 <-> 2001:db8:2::/120 rejected: IPv4 "
                + "prefix 198.51.100.0/24 is already mapped by EAM 198.51.100.0/24 <-> 2001:db8:1::/120"),

            Arguments.of("nat64 translate-ipv4 without a prefix", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  eamt: [{ipv4: 198.51.100.0/24, ipv6: "2001:db8:1::/120"}]
                  translate-ipv4: [203.0.113.0/24]
                """, "config.yaml line 4: nat64.translate-ipv4: needs nat64.prefix: without it these addresses map "
                + "to nothing"),

            Arguments.of("nat64 lowest-ipv6-mtu below the IPv6 minimum", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  prefix: 64:ff9b::/96
                  lowest-ipv6-mtu: 1000
                """, "config.yaml line 4: nat64.lowest-ipv6-mtu: must be 1280..65535, got 1000"),

            Arguments.of("nat64 without an IPv4 port address", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64"]}]
                nat64:
                  prefix: 64:ff9b::/96
                """, "config.yaml line 2: nat64: needs at least one IPv4 and one IPv6 port address (sources of the "
                + "ICMP errors the translator makes)"),

            Arguments.of("nat64 unknown key", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  prefix: 64:ff9b::/96
                  pool6: [192.0.2.0/24]
                """, "config.yaml line 4: nat64.pool6: unknown key (known keys: amend-udp-checksum-zero, eamt, "
                + "filtering, icmp-errors, lowest-ipv6-mtu, max-sessions, max-sessions-per-source, max-sources, mode, pool4, "
                + "prefix, rfc6791-v4, rfc6791-v6, snapshot-file, static-bib, timeouts, translate-ipv4, wkp-global-only, "
                + "zeroize-traffic-class)"),

            Arguments.of("nat64 pool4 entry that is not a mapping", """
                ports: [{name: v6, type: tap, addresses: ["2001:db8::1/64", 192.0.2.1/24]}]
                nat64:
                  prefix: 64:ff9b::/96
                  pool4: [192.0.2.0/24]
                """, "config.yaml line 4: nat64.pool4[0]: expected a mapping, got \"192.0.2.0/24\""),

            Arguments.of("mtu out of range", """
                workers: 1
                ports:
                  - name: v6
                    type: tap
                  - name: v4
                    type: tap
                    mtu: 40
                """, "config.yaml line 7: ports[1].mtu: must be 68..65535, got 40"),

            Arguments.of("unknown key", """
                ports:
                  - name: v6
                    type: tap
                    mut: 1500
                """, "config.yaml line 4: ports[0].mut: unknown key (known keys: addresses, device, mac, mtu, name, offload, queue-length, type)"),

            Arguments.of("unknown top-level key", """
                ports: [{name: v6, type: tap}]
                route:
                  - {prefix: 2001:db8:1::/64, port: v6}
                """, "config.yaml line 2: route: unknown key (known keys: admin, connection-tracking, counters-file, eip,"
                + " frame-pool, ingest-nice, ipv6-gateway, nat64, neighbours, network-acls, ports, routes,"
                + " security-groups, vpc, workers)"),

            Arguments.of("ingest nice below the kernel's range", """
                ingest-nice: -21
                ports: [{name: v6, type: tap}]
                """, "config.yaml line 1: ingest-nice: must be -20..19, got -21"),

            Arguments.of("ingest nice above the kernel's range", """
                ingest-nice: 20
                ports: [{name: v6, type: tap}]
                """, "config.yaml line 1: ingest-nice: must be -20..19, got 20"),

            Arguments.of("more workers than pool4 can be shared among", """
                workers: 65
                ports: [{name: v6, type: tap}]
                """, "config.yaml line 1: workers: must be 1..64, got 65"),

            Arguments.of("no workers", """
                workers: 0
                ports: [{name: v6, type: tap}]
                """, "config.yaml line 1: workers: must be 1..64, got 0"),

            Arguments.of("text where an integer belongs", """
                ports:
                  - name: v6
                    type: tap
                    mtu: jumbo
                """, "config.yaml line 4: ports[0].mtu: expected an integer, got \"jumbo\""),

            Arguments.of("fraction where an integer belongs", """
                workers: 1.5
                ports: [{name: v6, type: tap}]
                """, "config.yaml line 1: workers: expected an integer, got 1.5"),

            Arguments.of("integer too large", """
                ports:
                  - name: v6
                    type: tap
                    mtu: 99999999999
                """, "config.yaml line 4: ports[0].mtu: number out of range, got 99999999999"),

            Arguments.of("single value where a list belongs", """
                ports:
                  - name: v6
                    type: tap
                    addresses: 2001:db8::1/64
                """, "config.yaml line 4: ports[0].addresses: expected a list, got \"2001:db8::1/64\""),

            Arguments.of("mapping where a list belongs", """
                ports:
                  name: v6
                  type: tap
                """, "config.yaml line 1: ports: expected a list, got a mapping"),

            Arguments.of("key without a value", """
                ports:
                  - name: v6
                    type: tap
                    mtu:
                """, "config.yaml line 4: ports[0].mtu: has no value"),

            Arguments.of("duplicate key", """
                ports:
                  - name: v6
                    type: tap
                    type: pcap
                """, "config.yaml line 4: ports[0].type: duplicate key"),

            Arguments.of("YAML syntax error", """
                ports:
                  - name: v6
                   type: tap
                """, "config.yaml line 3: ports[0]: YAML syntax error: expected <block end>, but found "
                + "'<block mapping start>'"),

            Arguments.of("missing ports", """
                workers: 1
                """, "config.yaml line 1: ports: required key missing"),

            Arguments.of("empty ports", """
                ports: []
                """, "config.yaml line 1: ports: must list at least one port"),

            Arguments.of("missing port name", """
                ports:
                  - type: tap
                    mtu: 1500
                """, "config.yaml line 2: ports[0].name: required key missing"),

            Arguments.of("bad port name", """
                ports:
                  - name: Uplink_1
                    type: tap
                """, "config.yaml line 2: ports[0].name: must be 1 to 15 of a-z, 0-9 and '-', got \"Uplink_1\""),

            Arguments.of("duplicate port name", """
                ports:
                  - name: v6
                    type: tap
                  - name: v6
                    type: pcap
                """, "config.yaml line 4: ports[1].name: duplicate port name \"v6\" (first at ports[0], line 2)"),

            Arguments.of("unknown port type", """
                ports:
                  - name: v6
                    type: tun
                """, "config.yaml line 3: ports[0].type: must be tap or pcap, got \"tun\""),

            Arguments.of("two ports on one device", """
                ports:
                  - {name: a, type: tap, device: eth0}
                  - {name: b, type: pcap, device: eth0}
                """, "config.yaml line 3: ports[1].device: device \"eth0\" is already used by port a"),

            Arguments.of("MAC with five octets", """
                ports:
                  - name: v6
                    type: tap
                    mac: 02:00:00:00:01
                """, "config.yaml line 4: ports[0].mac: not a MAC address (want 6 hex pairs like "
                + "02:00:00:00:00:01): 02:00:00:00:01"),

            Arguments.of("multicast MAC", """
                ports:
                  - name: v6
                    type: tap
                    mac: 33:33:00:00:00:01
                """, "config.yaml line 4: ports[0].mac: must be a unicast MAC address, got 33:33:00:00:00:01"),

            Arguments.of("small MTU on an IPv6 port", """
                ports:
                  - name: v6
                    type: tap
                    mtu: 1200
                    addresses: [2001:db8::1/64]
                """, "config.yaml line 4: ports[0].mtu: must be at least 1280 on a port with IPv6 addresses "
                + "(RFC 8200 section 5), got 1200"),

            Arguments.of("address without prefix length", """
                ports:
                  - name: v4
                    type: tap
                    addresses: [192.0.2.1]
                """, "config.yaml line 4: ports[0].addresses[0]: needs a prefix length (ADDRESS/LENGTH), "
                + "got 192.0.2.1"),

            Arguments.of("IPv4 octet out of range", """
                ports:
                  - name: v4
                    type: tap
                    addresses:
                      - 192.0.2.1/24
                      - 198.51.100.256/24
                """, "config.yaml line 6: ports[0].addresses[1]: invalid IPv4 address '198.51.100.256': octet 4 is greater than 255"),

            Arguments.of("network address as gateway address", """
                ports:
                  - name: v4
                    type: tap
                    addresses: [192.0.2.0/24]
                """, "config.yaml line 4: ports[0].addresses[0]: is the network address of its subnet; "
                + "give the gateway's own address, like 192.0.2.1/24"),

            Arguments.of("subnets overlapping across ports", """
                ports:
                  - {name: a, type: tap, addresses: [2001:db8::1/64]}
                  - {name: b, type: tap, addresses: [2001:db8::2/48]}
                """, "config.yaml line 3: ports[1].addresses[0]: subnet 2001:db8::/48 overlaps 2001:db8::1/64 "
                + "on port a"),

            Arguments.of("route to an unknown port", """
                ports:
                  - {name: v6, type: tap, addresses: [2001:db8::1/64]}
                routes:
                  - {prefix: 2001:db8:1::/64, via: 2001:db8::5, port: v7}
                """, "config.yaml line 4: routes[0].port: no port named \"v7\" (ports: v6)"),

            Arguments.of("route prefix with host bits", """
                ports:
                  - {name: v6, type: tap, addresses: [2001:db8::1/64]}
                routes:
                  - prefix: 2001:db8:1::1/64
                    port: v6
                """, "config.yaml line 4: routes[0].prefix: host bits must be zero, got 2001:db8:1::1/64 "
                + "(did you mean 2001:db8:1::/64?)"),

            Arguments.of("prefix length too long", """
                ports:
                  - {name: v6, type: tap, addresses: [2001:db8::1/64]}
                routes:
                  - {prefix: 2001:db8:1::/129, port: v6}
                """, "config.yaml line 4: routes[0].prefix: prefix length must be 0..128, got 2001:db8:1::/129"),

            Arguments.of("next hop outside the port's subnets", """
                ports:
                  - {name: v6, type: tap, addresses: [2001:db8::1/64]}
                routes:
                  - prefix: 2001:db8:1::/64
                    via: 2001:db8:2::5
                    port: v6
                """, "config.yaml line 5: routes[0].via: 2001:db8:2::5 is not inside any subnet of port v6 "
                + "(2001:db8::/64)"),

            Arguments.of("IPv4 next hop for an IPv6 prefix", """
                ports:
                  - {name: v6, type: tap, addresses: [2001:db8::1/64, 192.0.2.1/24]}
                routes:
                  - prefix: 2001:db8:1::/64
                    via: 192.0.2.5
                    port: v6
                """, "config.yaml line 5: routes[0].via: an IPv4 next hop for an IPv6 prefix, got 192.0.2.5"),

            Arguments.of("host name as next hop", """
                ports:
                  - {name: v4, type: tap, addresses: [192.0.2.1/24]}
                routes:
                  - prefix: 198.51.100.0/24
                    via: router.example
                    port: v4
                """, "config.yaml line 5: routes[0].via: invalid IPv4 address 'router.example': unexpected character 'r' at index 0"),

            Arguments.of("duplicate route", """
                ports:
                  - {name: v4, type: tap, addresses: [192.0.2.1/24]}
                routes:
                  - {prefix: 198.51.100.0/24, via: 192.0.2.5, port: v4}
                  - {prefix: 198.51.100.0/24, via: 192.0.2.6, port: v4}
                """, "config.yaml line 5: routes[1].prefix: duplicate route for 198.51.100.0/24 "
                + "(first at routes[0], line 4)"),

            Arguments.of("neighbour outside the port's subnets", """
                ports:
                  - {name: v4, type: tap, addresses: [192.0.2.1/24]}
                neighbours:
                  - address: 198.51.100.5
                    mac: 02:00:00:00:00:05
                    port: v4
                """, "config.yaml line 4: neighbours[0].address: 198.51.100.5 is not inside any subnet of port v4 "
                + "(192.0.2.0/24)"),

            Arguments.of("neighbour without a MAC", """
                ports:
                  - {name: v4, type: tap, addresses: [192.0.2.1/24]}
                neighbours:
                  - {address: 192.0.2.5, port: v4}
                """, "config.yaml line 4: neighbours[0].mac: required key missing"),

            Arguments.of("slot size not a multiple of 64", """
                frame-pool:
                  frames: 1024
                  slot-size: 1500
                ports: [{name: v6, type: tap}]
                """, "config.yaml line 3: frame-pool.slot-size: must be a multiple of 64 in 256..131072, got 1500"),

            Arguments.of("offload on a pcap port", """
                ports:
                  - name: v6
                    type: pcap
                    offload: true
                """, "config.yaml line 4: ports[0].offload: only a tap port takes offloads (a pcap port stays plain), got true"),

            Arguments.of("offload not a boolean", """
                ports:
                  - name: v6
                    type: tap
                    offload: sometimes
                """, "config.yaml line 4: ports[0].offload: expected true or false, got \"sometimes\""),

            Arguments.of("queue length on a pcap port", """
                ports:
                  - name: v6
                    type: pcap
                    queue-length: 4096
                """, "config.yaml line 4: ports[0].queue-length: only a tap port has a kernel queue sixgate sizes"
                + " (a pcap port captures through libpcap's buffer), got 4096"),

            Arguments.of("queue length too short", """
                ports:
                  - name: v6
                    type: tap
                    queue-length: 10
                """, "config.yaml line 4: ports[0].queue-length: must be 64..1048576, got 10"),

            Arguments.of("queue length too long", """
                ports:
                  - name: v6
                    type: tap
                    queue-length: 2000000
                """, "config.yaml line 4: ports[0].queue-length: must be 64..1048576, got 2000000"),

            Arguments.of("queue length not an integer", """
                ports:
                  - name: v6
                    type: tap
                    queue-length: deep
                """, "config.yaml line 4: ports[0].queue-length: expected an integer, got \"deep\""),

            Arguments.of("top level is a list", """
                - name: v6
                  type: tap
                """, "config.yaml line 1: the top level must be a mapping of keys, got a list"),

            Arguments.of("two documents", """
                ports: [{name: v6, type: tap}]
                ---
                ports: [{name: v4, type: tap}]
                """, "config.yaml line 3: only one YAML document is allowed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConfigs")
    void refusesWithKeyAndLine(final String what, final String yaml, final String expected)
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoaderTest.load(yaml));

        assertEquals(expected, ex.getMessage());
    }
}
