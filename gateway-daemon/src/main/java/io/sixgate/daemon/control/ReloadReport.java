package io.sixgate.daemon.control;

import java.util.List;

/**
 * What a reload put in force.
 *
 * @param config  the file that was read.
 * @param changes one line per change ({@code routes: 2 -> 3}, {@code nat64.static-bib: added tcp ...}),
 *                empty when the file said nothing new.
 */
public record ReloadReport(String config, List<String> changes)
{
    public ReloadReport
    {
        changes = List.copyOf(changes);
    }
}
