package io.sixgate.core.pipeline;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A stage's drop reasons or events: one or more enums laid end to end, so that a constant's
 * position in the stage is its group's offset plus its ordinal. Found on the hot path by a
 * reference compare of the enum class per group: no map, no allocation.
 */
final class LabelGroups<T>
{
    private final List<T> members = new ArrayList<>();
    private final Class<?>[] classes;
    private final int[] offsets;

    LabelGroups(
        final String stageName,
        final T[][] groups,
        final Function<T, String> labelOf,
        final ToIntFunction<T> ordinalOf)
    {
        classes = new Class<?>[groups.length];
        offsets = new int[groups.length];
        final Set<String> labels = new HashSet<>();
        for (int g = 0; g < groups.length; g++)
        {
            final T[] group = groups[g];
            offsets[g] = members.size();
            classes[g] = group.length == 0 ? Void.class : group[0].getClass();
            for (int i = 0; i < group.length; i++)
            {
                if (ordinalOf.applyAsInt(group[i]) != i || group[i].getClass() != classes[g])
                {
                    throw new IllegalArgumentException(
                        "stage " + stageName + ": each group must be one enum's values() in ordinal order");
                }
                if (!labels.add(labelOf.apply(group[i])))
                {
                    throw new IllegalArgumentException(
                        "stage " + stageName + ": label '" + labelOf.apply(group[i]) + "' used twice");
                }
                members.add(group[i]);
            }
        }
    }

    List<T> members()
    {
        return members;
    }

    int size()
    {
        return members.size();
    }

    /**
     * @return the member's position among all groups, or -1 when its enum is not one of them.
     */
    int indexOf(final Object member, final int ordinal)
    {
        final Class<?> memberClass = member.getClass();
        for (int g = 0; g < classes.length; g++)
        {
            if (classes[g] == memberClass)
            {
                return offsets[g] + ordinal;
            }
        }
        return -1;
    }
}
