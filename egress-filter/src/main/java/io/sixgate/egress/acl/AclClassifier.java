package io.sixgate.egress.acl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.sixgate.core.net.Ipv6Prefix;

/**
 * First-match classifier of network ACLs and security groups: given a context (one ACL or group
 * set, one direction, one remote address family), the remote address, the IP protocol and the
 * destination port, it returns the value of the matching rule with the lowest priority, or
 * {@link #NO_MATCH}. Compiled once into primitive arrays, immutable, no allocation per lookup.
 *
 * <p>A decision structure, one dimension after the other, so a lookup never walks the rule list:
 * <ol>
 *   <li><b>address</b>: the context's prefixes cut the 128-bit space into elementary intervals,
 *   each labelled with the innermost prefix covering it (a "node"); binary search over the
 *   sorted interval starts finds the node;</li>
 *   <li><b>protocol</b>: each node keeps one slot per protocol its own rules name (rules with
 *   {@link #ANY_PROTOCOL} merged into every slot) and an "other" slot for the rest; binary search;</li>
 *   <li><b>port</b>: each slot cuts 0..65535 into elementary intervals, each labelled at compile
 *   time with the best rule covering it; binary search.</li>
 * </ol>
 * A node holds only the rules of its own prefix; rules of the prefixes around it live in the
 * nodes of those, so the lookup visits the node's chain (itself and its enclosing prefixes) and
 * keeps the best rule. The chain is stored in order of each node's best priority, so the visit
 * stops at the first node whose best rule cannot beat what was found (priority pruning): when the
 * specific rules come first, as they usually do, one node decides. Memory stays linear in the rules
 * (no rules copied from a prefix into the prefixes inside it).
 *
 * <p>Cost of a lookup: log2(2P+1) + visited &times; (log2(protocols + 1) + log2(2R+1)) steps, with P
 * prefixes in the context, R rules in one slot and at most as many nodes visited as the matching
 * prefixes nest (at most 129 for IPv6, 33 for IPv4; a handful in real rule sets, and pruning cuts
 * it). The rule count only enters through the logarithms.
 *
 * <p>Priorities: lower wins; equal priorities go to the rule added first, so a caller that adds
 * rules in evaluation order may give them all the same priority. IPv4 contexts take the address
 * in the top 32 bits of the 128 ({@link #ipv4}, {@link #lookupIpv4}); a context holds one family.
 */
public final class AclClassifier
{
    /** {@link #lookupIpv6} and {@link #lookupIpv4}: no rule matches. */
    public static final int NO_MATCH = -1;

    /** A rule's protocol: matches every protocol. */
    public static final int ANY_PROTOCOL = -1;

    /** A lookup's port when the packet carries none (a non-first fragment): only rules without ports match. */
    public static final int NO_PORT = -1;

    /** Highest port. */
    public static final int MAX_PORT = 0xFFFF;

    private static final int NO_RANK = Integer.MAX_VALUE;
    private static final int NO_NODE = -1;
    private static final int OTHER_PROTOCOL = 256;
    private static final long SIGN = Long.MIN_VALUE;

    private final int contexts;
    private final int ruleCount;
    /** Per context, its first address interval; contexts + 1 entries. */
    private final int[] contextFirstInterval;
    /** Interval starts with the sign bit flipped, so that signed comparison orders them unsigned. */
    private final long[] intervalHighBiased;
    private final long[] intervalLowBiased;
    private final int[] intervalNode;
    /** Each node's best rule rank. */
    private final int[] nodeBestRank;
    /** Per node, where its chain starts in {@link #chainNodes}; nodes + 1 entries. */
    private final int[] nodeFirstChain;
    /** Each node's chain: itself and its enclosing prefixes, best rank first. */
    private final int[] chainNodes;
    /** Per node, its first protocol slot; nodes + 1 entries. The last slot of a node is "other". */
    private final int[] nodeFirstSlot;
    private final int[] slotProtocol;
    private final int[] slotNoPortRank;
    /** Per slot, its first port interval; slots + 1 entries. */
    private final int[] slotFirstPortInterval;
    private final char[] portIntervalStart;
    private final int[] portIntervalRank;
    private final int[] rankValue;

    private AclClassifier(final Compiler compiled)
    {
        this.contexts = compiled.contexts;
        this.ruleCount = compiled.rankValue.length;
        this.contextFirstInterval = compiled.contextFirstInterval;
        this.intervalHighBiased = compiled.intervalHigh.toLongArray();
        this.intervalLowBiased = compiled.intervalLow.toLongArray();
        this.intervalNode = compiled.intervalNode.toArray();
        this.nodeBestRank = compiled.nodeBestRank.toArray();
        this.nodeFirstChain = compiled.nodeFirstChain.toArray();
        this.chainNodes = compiled.chainNodes.toArray();
        this.nodeFirstSlot = compiled.nodeFirstSlot.toArray();
        this.slotProtocol = compiled.slotProtocol.toArray();
        this.slotNoPortRank = compiled.slotNoPortRank.toArray();
        this.slotFirstPortInterval = compiled.slotFirstPortInterval.toArray();
        final int[] starts = compiled.portIntervalStart.toArray();
        this.portIntervalStart = new char[starts.length];
        for (int i = 0; i < starts.length; i++)
        {
            portIntervalStart[i] = (char)starts[i];
        }
        this.portIntervalRank = compiled.portIntervalRank.toArray();
        this.rankValue = compiled.rankValue;
    }

    /**
     * @param contexts number of contexts, numbered from 0.
     */
    public static Builder builder(final int contexts)
    {
        return new Builder(contexts);
    }

    /**
     * @param context  0 to {@link #contexts()} - 1.
     * @param high     bits 0..63 of the remote address.
     * @param low      bits 64..127.
     * @param protocol IP protocol, 0..255.
     * @param port     destination port, or {@link #NO_PORT}; for protocols without ports any value
     *                 of 0..65535 (rules naming other protocols have no ports).
     * @return the value of the best matching rule, or {@link #NO_MATCH}.
     */
    public int lookupIpv6(final int context, final long high, final long low, final int protocol, final int port)
    {
        int lo = contextFirstInterval[context];
        int hi = contextFirstInterval[context + 1] - 1;
        if (hi < lo)
        {
            return NO_MATCH;
        }
        final long highBiased = high ^ SIGN;
        final long lowBiased = low ^ SIGN;
        final long[] starts = intervalHighBiased;
        final long[] startsLow = intervalLowBiased;
        while (lo < hi)
        {
            final int mid = (lo + hi + 1) >>> 1;
            final long start = starts[mid];
            if (start < highBiased || (start == highBiased && startsLow[mid] <= lowBiased))
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        final int leaf = intervalNode[lo];
        if (leaf == NO_NODE)
        {
            return NO_MATCH;
        }
        int best = NO_RANK;
        final int end = nodeFirstChain[leaf + 1];
        for (int i = nodeFirstChain[leaf]; i < end; i++)
        {
            final int node = chainNodes[i];
            if (nodeBestRank[node] >= best)
            {
                break;      // the chain is in best-rank order: nothing further on can win
            }
            final int rank = nodeRank(node, protocol, port);
            if (rank < best)
            {
                best = rank;
            }
        }
        return best == NO_RANK ? NO_MATCH : rankValue[best];
    }

    /**
     * {@link #lookupIpv6} for a context of IPv4 rules.
     *
     * @param address the remote IPv4 address, network order as read big-endian.
     */
    public int lookupIpv4(final int context, final int address, final int protocol, final int port)
    {
        return lookupIpv6(context, (address & 0xFFFF_FFFFL) << 32, 0L, protocol, port);
    }

    private int nodeRank(final int node, final int protocol, final int port)
    {
        int lo = nodeFirstSlot[node];
        final int other = nodeFirstSlot[node + 1] - 1;
        int hi = other - 1;
        int slot = other;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            final int value = slotProtocol[mid];
            if (value < protocol)
            {
                lo = mid + 1;
            }
            else if (value > protocol)
            {
                hi = mid - 1;
            }
            else
            {
                slot = mid;
                break;
            }
        }
        if (port < 0)
        {
            return slotNoPortRank[slot];
        }
        int first = slotFirstPortInterval[slot];
        int last = slotFirstPortInterval[slot + 1] - 1;
        if (last < first)
        {
            return NO_RANK;
        }
        final char[] starts = portIntervalStart;
        while (first < last)
        {
            final int mid = (first + last + 1) >>> 1;
            if (starts[mid] <= port)
            {
                first = mid;
            }
            else
            {
                last = mid - 1;
            }
        }
        return portIntervalRank[first];
    }

    public int contexts()
    {
        return contexts;
    }

    public int ruleCount()
    {
        return ruleCount;
    }

    /** Bytes of the compiled arrays, for capacity planning. */
    public long footprintBytes()
    {
        return 4L * (contextFirstInterval.length + intervalNode.length + nodeBestRank.length + nodeFirstChain.length
            + chainNodes.length + nodeFirstSlot.length + slotProtocol.length + slotNoPortRank.length + slotFirstPortInterval.length
            + portIntervalRank.length + rankValue.length)
            + 8L * (intervalHighBiased.length + intervalLowBiased.length) + 2L * portIntervalStart.length;
    }

    /**
     * Collects rules at config time. Not thread-safe. Rules keep their value; {@link #build()}
     * compiles them (cost about linear in the rules, plus a sort).
     */
    public static final class Builder
    {
        private final int contexts;
        private final List<Rule> rules = new ArrayList<>();

        private Builder(final int contexts)
        {
            if (contexts < 0)
            {
                throw new IllegalArgumentException("contexts must be >= 0: " + contexts);
            }
            this.contexts = contexts;
        }

        /**
         * Adds a rule on an IPv6 remote prefix.
         *
         * @param protocol 0..255 or {@link #ANY_PROTOCOL}.
         * @param portFrom first destination port, 0..65535; 0 with {@code portTo} 65535 for "no ports".
         * @param portTo   last destination port.
         * @param priority lower is evaluated first.
         * @param value    what a lookup returns for this rule, 0 or more.
         * @throws IllegalArgumentException for a bad field or bits set beyond the prefix length.
         */
        public Builder ipv6(
            final int context,
            final long high,
            final long low,
            final int length,
            final int protocol,
            final int portFrom,
            final int portTo,
            final int priority,
            final int value)
        {
            if (length < 0 || length > 128)
            {
                throw new IllegalArgumentException("prefix length must be in [0, 128]: " + length);
            }
            if ((high & ~Ipv6Prefix.maskHigh(length)) != 0 || (low & ~Ipv6Prefix.maskLow(length)) != 0)
            {
                throw new IllegalArgumentException("prefix has bits set beyond its length " + length);
            }
            if (context < 0 || context >= contexts)
            {
                throw new IllegalArgumentException("context must be in [0, " + contexts + "): " + context);
            }
            if (protocol < ANY_PROTOCOL || protocol > 255)
            {
                throw new IllegalArgumentException("protocol must be -1 (any) or 0..255: " + protocol);
            }
            if (portFrom < 0 || portTo > MAX_PORT || portFrom > portTo)
            {
                throw new IllegalArgumentException("bad port range " + portFrom + "-" + portTo);
            }
            if (value < 0)
            {
                throw new IllegalArgumentException("value must be >= 0: " + value);
            }
            rules.add(new Rule(context, high, low, length, protocol, portFrom, portTo, priority, value, rules.size()));
            return this;
        }

        /**
         * Adds a rule on an IPv4 remote prefix, to a context of IPv4 rules.
         *
         * @param address the prefix, network order as read big-endian; host bits zero.
         */
        public Builder ipv4(
            final int context,
            final int address,
            final int length,
            final int protocol,
            final int portFrom,
            final int portTo,
            final int priority,
            final int value)
        {
            if (length < 0 || length > 32)
            {
                throw new IllegalArgumentException("IPv4 prefix length must be in [0, 32]: " + length);
            }
            return ipv6(context, (address & 0xFFFF_FFFFL) << 32, 0L, length, protocol, portFrom, portTo, priority,
                value);
        }

        public int size()
        {
            return rules.size();
        }

        public AclClassifier build()
        {
            return new AclClassifier(new Compiler(contexts, rules));
        }
    }

    private record Rule(
        int context, long high, long low, int length, int protocol, int portFrom, int portTo, int priority, int value,
        int order)
    {
        long endHigh()
        {
            return high | ~Ipv6Prefix.maskHigh(length);
        }

        long endLow()
        {
            return low | ~Ipv6Prefix.maskLow(length);
        }
    }

    private record Prefix(long high, long low, int length)
    {
    }

    /** One node while compiling: a distinct prefix of a context and the ranks of its rules. */
    private static final class Node
    {
        final Prefix prefix;
        final List<Rule> rules = new ArrayList<>();
        final List<Integer> ranks = new ArrayList<>();
        int id;

        Node(final Prefix prefix)
        {
            this.prefix = prefix;
        }

        long endHigh()
        {
            return prefix.high | ~Ipv6Prefix.maskHigh(prefix.length);
        }

        long endLow()
        {
            return prefix.low | ~Ipv6Prefix.maskLow(prefix.length);
        }
    }

    /** Builds the arrays; runs once per {@link Builder#build()}. */
    private static final class Compiler
    {
        final int contexts;
        final int[] contextFirstInterval;
        final LongList intervalHigh = new LongList();
        final LongList intervalLow = new LongList();
        final IntList intervalNode = new IntList();
        final IntList nodeParent = new IntList();
        final IntList nodeBestRank = new IntList();
        final IntList nodeFirstChain = new IntList();
        final IntList chainNodes = new IntList();
        final IntList nodeFirstSlot = new IntList();
        final IntList slotProtocol = new IntList();
        final IntList slotNoPortRank = new IntList();
        final IntList slotFirstPortInterval = new IntList();
        final IntList portIntervalStart = new IntList();
        final IntList portIntervalRank = new IntList();
        final int[] rankValue;

        Compiler(final int contexts, final List<Rule> rules)
        {
            this.contexts = contexts;
            this.contextFirstInterval = new int[contexts + 1];
            final Rule[] byRank = rules.toArray(new Rule[0]);
            Arrays.sort(byRank, Comparator.comparingInt(Rule::priority).thenComparingInt(Rule::order));
            rankValue = new int[byRank.length];
            final List<Map<Prefix, Node>> nodesByContext = new ArrayList<>();
            for (int c = 0; c < contexts; c++)
            {
                nodesByContext.add(new LinkedHashMap<>());
            }
            for (int rank = 0; rank < byRank.length; rank++)
            {
                final Rule rule = byRank[rank];
                rankValue[rank] = rule.value;
                final Node node = nodesByContext.get(rule.context)
                    .computeIfAbsent(new Prefix(rule.high, rule.low, rule.length), Node::new);
                node.rules.add(rule);
                node.ranks.add(rank);
            }
            for (int c = 0; c < contexts; c++)
            {
                contextFirstInterval[c] = intervalNode.size();
                compileContext(new ArrayList<>(nodesByContext.get(c).values()));
            }
            contextFirstInterval[contexts] = intervalNode.size();
            nodeFirstChain.add(chainNodes.size());
            nodeFirstSlot.add(slotProtocol.size());
            slotFirstPortInterval.add(portIntervalStart.size());
        }

        private void compileContext(final List<Node> nodes)
        {
            if (nodes.isEmpty())
            {
                return;
            }
            // Start ascending, then shorter (enclosing) prefixes first: parents precede children.
            nodes.sort((a, b) ->
            {
                final int byStart = compare(a.prefix.high, a.prefix.low, b.prefix.high, b.prefix.low);
                return byStart != 0 ? byStart : Integer.compare(a.prefix.length, b.prefix.length);
            });
            for (final Node node : nodes)
            {
                node.id = nodeParent.size();
                nodeParent.add(NO_NODE);
                nodeBestRank.add(node.ranks.get(0));     // ranks were added in rank order
            }
            final int firstInterval = intervalNode.size();
            emit(firstInterval, 0, 0, NO_NODE);
            final List<Node> stack = new ArrayList<>();
            for (final Node node : nodes)
            {
                while (!stack.isEmpty() && compare(top(stack).endHigh(), top(stack).endLow(),
                    node.prefix.high, node.prefix.low) < 0)
                {
                    close(firstInterval, stack);
                }
                nodeParent.set(node.id, stack.isEmpty() ? NO_NODE : top(stack).id);
                emit(firstInterval, node.prefix.high, node.prefix.low, node.id);
                stack.add(node);
            }
            while (!stack.isEmpty())
            {
                close(firstInterval, stack);
            }
            for (final Node node : nodes)
            {
                compileChain(node.id);
                compileNode(node);
            }
        }

        /** The node and its enclosing prefixes, best rank first, for the lookup's early stop. */
        private void compileChain(final int node)
        {
            nodeFirstChain.add(chainNodes.size());
            final List<Integer> chain = new ArrayList<>();
            for (int n = node; n != NO_NODE; n = nodeParent.get(n))
            {
                chain.add(n);
            }
            chain.sort(Comparator.comparingInt(nodeBestRank::get));
            for (final int n : chain)
            {
                chainNodes.add(n);
            }
        }

        /** Pops the innermost open prefix; the addresses after it belong to the one around it. */
        private void close(final int firstInterval, final List<Node> stack)
        {
            final Node closed = stack.remove(stack.size() - 1);
            final long endHigh = closed.endHigh();
            final long endLow = closed.endLow();
            if (endHigh == -1L && endLow == -1L)
            {
                return;     // reaches the top of the address space
            }
            final long nextLow = endLow + 1;
            final long nextHigh = nextLow == 0 ? endHigh + 1 : endHigh;
            emit(firstInterval, nextHigh, nextLow, stack.isEmpty() ? NO_NODE : top(stack).id);
        }

        /** Adds an interval start, replacing one at the same address and merging equal neighbours. */
        private void emit(final int firstInterval, final long high, final long low, final int node)
        {
            final int count = intervalNode.size() - firstInterval;
            if (count > 0 && intervalHigh.get(intervalHigh.size() - 1) == (high ^ SIGN) &&
                intervalLow.get(intervalLow.size() - 1) == (low ^ SIGN))
            {
                intervalHigh.removeLast();
                intervalLow.removeLast();
                intervalNode.removeLast();
                if (count > 1 && intervalNode.get(intervalNode.size() - 1) == node)
                {
                    return;
                }
            }
            else if (count > 0 && intervalNode.get(intervalNode.size() - 1) == node)
            {
                return;
            }
            intervalHigh.add(high ^ SIGN);
            intervalLow.add(low ^ SIGN);
            intervalNode.add(node);
        }

        private void compileNode(final Node node)
        {
            if (nodeFirstSlot.size() != node.id)
            {
                throw new IllegalStateException("nodes compiled out of order");
            }
            nodeFirstSlot.add(slotProtocol.size());
            final List<Rule> any = new ArrayList<>();
            final List<Integer> anyRanks = new ArrayList<>();
            final Map<Integer, List<Integer>> ranksByProtocol = new TreeMap<>();
            final Map<Integer, List<Rule>> rulesByProtocol = new TreeMap<>();
            for (int i = 0; i < node.rules.size(); i++)
            {
                final Rule rule = node.rules.get(i);
                if (rule.protocol == ANY_PROTOCOL)
                {
                    any.add(rule);
                    anyRanks.add(node.ranks.get(i));
                }
                else
                {
                    rulesByProtocol.computeIfAbsent(rule.protocol, p -> new ArrayList<>()).add(rule);
                    ranksByProtocol.computeIfAbsent(rule.protocol, p -> new ArrayList<>()).add(node.ranks.get(i));
                }
            }
            for (final Map.Entry<Integer, List<Rule>> entry : rulesByProtocol.entrySet())
            {
                final List<Rule> slotRules = new ArrayList<>(entry.getValue());
                final List<Integer> slotRanks = new ArrayList<>(ranksByProtocol.get(entry.getKey()));
                slotRules.addAll(any);
                slotRanks.addAll(anyRanks);
                compileSlot(entry.getKey(), slotRules, slotRanks);
            }
            compileSlot(OTHER_PROTOCOL, any, anyRanks);
        }

        /**
         * Cuts 0..65535 at every rule edge and labels each piece with the best rule covering it,
         * painting rules in rank order and skipping painted pieces (union-find on "next unpainted").
         */
        private void compileSlot(final int protocol, final List<Rule> rules, final List<Integer> ranks)
        {
            slotProtocol.add(protocol);
            slotFirstPortInterval.add(portIntervalStart.size());
            int noPort = NO_RANK;
            final IntList edges = new IntList();
            edges.add(0);
            for (final Rule rule : rules)
            {
                edges.add(rule.portFrom);
                if (rule.portTo < MAX_PORT)
                {
                    edges.add(rule.portTo + 1);
                }
            }
            final int[] starts = Arrays.stream(edges.toArray()).sorted().distinct().toArray();
            final int[] label = new int[starts.length];
            Arrays.fill(label, NO_RANK);
            final int[] nextUnpainted = new int[starts.length + 1];
            for (int i = 0; i < nextUnpainted.length; i++)
            {
                nextUnpainted[i] = i;
            }
            final Integer[] order = new Integer[rules.size()];
            for (int i = 0; i < order.length; i++)
            {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingInt(ranks::get));
            for (final int i : order)
            {
                final Rule rule = rules.get(i);
                final int rank = ranks.get(i);
                if (rule.portFrom == 0 && rule.portTo == MAX_PORT)
                {
                    noPort = Math.min(noPort, rank);
                }
                final int first = Arrays.binarySearch(starts, rule.portFrom);
                final int last = rule.portTo == MAX_PORT ? starts.length - 1
                    : Arrays.binarySearch(starts, rule.portTo + 1) - 1;
                for (int piece = find(nextUnpainted, first); piece <= last; piece = find(nextUnpainted, piece + 1))
                {
                    label[piece] = rank;
                    nextUnpainted[piece] = piece + 1;
                }
            }
            slotNoPortRank.add(noPort);
            int previous = -2;
            for (int i = 0; i < starts.length; i++)
            {
                if (label[i] != previous)
                {
                    portIntervalStart.add(starts[i]);
                    portIntervalRank.add(label[i]);
                    previous = label[i];
                }
            }
        }

        private static int find(final int[] next, final int start)
        {
            int root = start;
            while (next[root] != root)
            {
                root = next[root];
            }
            int i = start;
            while (next[i] != root)
            {
                final int up = next[i];
                next[i] = root;
                i = up;
            }
            return root;
        }

        private static Node top(final List<Node> stack)
        {
            return stack.get(stack.size() - 1);
        }

        private static int compare(final long highA, final long lowA, final long highB, final long lowB)
        {
            final int byHigh = Long.compareUnsigned(highA, highB);
            return byHigh != 0 ? byHigh : Long.compareUnsigned(lowA, lowB);
        }
    }

    /** A growable int array for compiling. */
    private static final class IntList
    {
        private int[] values = new int[16];
        private int size;

        void add(final int value)
        {
            if (size == values.length)
            {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int get(final int index)
        {
            return values[index];
        }

        void set(final int index, final int value)
        {
            values[index] = value;
        }

        void removeLast()
        {
            size--;
        }

        int size()
        {
            return size;
        }

        int[] toArray()
        {
            return Arrays.copyOf(values, size);
        }
    }

    /** A growable long array for compiling. */
    private static final class LongList
    {
        private long[] values = new long[16];
        private int size;

        void add(final long value)
        {
            if (size == values.length)
            {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long get(final int index)
        {
            return values[index];
        }

        void removeLast()
        {
            size--;
        }

        int size()
        {
            return size;
        }

        long[] toLongArray()
        {
            return Arrays.copyOf(values, size);
        }
    }
}
