package io.sixgate.daemon.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the program's {@link PipelineFactory} on the class path
 * ({@code META-INF/services/io.sixgate.daemon.pipeline.PipelineFactory}). Exactly one must be
 * there: none means this build has no packet graph, two means the build is mixed up.
 */
public final class PipelineFactoryLoader
{
    private PipelineFactoryLoader()
    {
    }

    /**
     * @throws IllegalStateException when there is not exactly one factory; the message says which.
     */
    public static PipelineFactory load()
    {
        final List<PipelineFactory> found = new ArrayList<>();
        for (final PipelineFactory factory : ServiceLoader.load(PipelineFactory.class))
        {
            found.add(factory);
        }
        if (found.isEmpty())
        {
            throw new IllegalStateException("this build of sixgate has no packet pipeline yet"
                + " (no " + PipelineFactory.class.getName() + " service on the class path)");
        }
        if (found.size() > 1)
        {
            final StringBuilder names = new StringBuilder();
            for (final PipelineFactory factory : found)
            {
                names.append(names.length() == 0 ? "" : ", ").append(factory.getClass().getName());
            }
            throw new IllegalStateException("more than one packet pipeline on the class path: " + names);
        }
        return found.get(0);
    }
}
