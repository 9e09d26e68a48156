package io.sixgate.egress;

/**
 * Which ICMPv6 messages may cross the gateway between the VPC and the Internet, per RFC 4890 §4.3
 * (recommendations for transit traffic at a firewall). The same list applies in both directions;
 * what the egress-only state adds on top (an inbound error must belong to a flow) is the stage's.
 *
 * <ul>
 *   <li>§4.3.1, must not be dropped: Destination Unreachable (1, all codes), Packet Too Big (2),
 *   Time Exceeded (3) code 0, Parameter Problem (4) codes 1 and 2, Echo Request (128) and Echo
 *   Reply (129); Mobile IPv6 144-147 for sites with mobile nodes, allowed here.</li>
 *   <li>§4.3.2, normally not dropped: Time Exceeded code 1, Parameter Problem code 0; allowed.
 *   Parameter Problem code 3 (RFC 7112, incomplete header chain) postdates RFC 4890 and is
 *   allowed with its siblings.</li>
 *   <li>§4.3.3, link-local scope, will be dropped anyway: Router Solicitation/Advertisement,
 *   Neighbor Solicitation/Advertisement, Redirect, Inverse ND (141, 142), MLD (130-132, 143),
 *   SEND certification path (148, 149), Multicast Router Discovery (151-153); dropped.</li>
 *   <li>§4.3.4, policy to be defined: Seamoby experimental (150), unallocated error (5-99,
 *   102-126) and informational (154-199, 202-254) types; our policy drops them.</li>
 *   <li>§4.3.5, dropped unless a good case is made: Router Renumbering (138), Node Information
 *   (139, 140), private experimentation (100, 101, 200, 201), expansion (127, 255); dropped.</li>
 * </ul>
 */
public final class Icmpv6TransitFilter
{
    /** The message may cross. */
    public static final int ALLOW = 0;
    /** RFC 4890 §4.3.3: link-scoped message. */
    public static final int LINK_SCOPE = 1;
    /** RFC 4890 §4.3.4: unassigned or experimental, dropped by our policy. */
    public static final int UNASSIGNED = 2;
    /** RFC 4890 §4.3.5: should be dropped. */
    public static final int NOT_FOR_TRANSIT = 3;

    private Icmpv6TransitFilter()
    {
    }

    /**
     * @return {@link #ALLOW} or the class of RFC 4890 §4.3 that drops the message.
     */
    public static int classify(final int type, final int code)
    {
        switch (type)
        {
            case 1:
            case 2:
            case 128:
            case 129:
            case 144:
            case 145:
            case 146:
            case 147:
                return ALLOW;
            case 3:
                return code <= 1 ? ALLOW : UNASSIGNED;
            case 4:
                return code <= 3 ? ALLOW : UNASSIGNED;
            case 130:
            case 131:
            case 132:
            case 133:
            case 134:
            case 135:
            case 136:
            case 137:
            case 141:
            case 142:
            case 143:
            case 148:
            case 149:
            case 151:
            case 152:
            case 153:
                return LINK_SCOPE;
            case 100:
            case 101:
            case 127:
            case 138:
            case 139:
            case 140:
            case 200:
            case 201:
            case 255:
                return NOT_FOR_TRANSIT;
            default:
                return UNASSIGNED;
        }
    }
}
