package io.sixgate.daemon.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.daemon.BadInputException;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.nat64.stateful.Nat64Shard;
import io.sixgate.nat64.stateful.Nat64Stateful64Stage;
import io.sixgate.nat64.stateful.SessionOwnership;
import io.sixgate.nat64.stateful.SessionRestore;
import io.sixgate.nat64.stateful.SessionRestoreReport;
import io.sixgate.nat64.stateful.SessionSnapshot;
import io.sixgate.nat64.stateful.SessionSnapshotException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code nat64.snapshot-file}: the stateful NAT64 sessions kept over a restart of {@code sixgate
 * run}. {@link #restore} before a worker starts, {@link #save} once every worker has stopped;
 * the format and the rules are {@link SessionSnapshot}'s and {@link SessionRestore}'s.
 *
 * <p>A snapshot that cannot be read never stops the gateway: it starts empty and says why.
 */
public final class GracefulRestart
{
    private static final Logger LOG = LoggerFactory.getLogger(GracefulRestart.class);

    private GracefulRestart()
    {
    }

    /**
     * Puts the snapshot's sessions into one worker's shard. With several workers, call it for each
     * with the sessions it owns (those the steering sends its IPv4 replies to).
     *
     * @param nowNs         the worker's clock.
     * @param ownership {@link SessionOwnership#EVERY_SESSION} for one worker.
     * @return the report, or {@code null} when there was nothing to restore.
     * @throws BadInputException the snapshot file's directory does not exist (nothing could be saved).
     */
    public static SessionRestoreReport restore(
        final GatewayConfig config, final Pipeline pipeline, final long nowNs, final SessionOwnership ownership)
        throws BadInputException
    {
        final Path file = snapshotFile(config);
        final Nat64Shard shard = shard(pipeline);
        if (file == null || shard == null)
        {
            return null;
        }
        final Path directory = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(directory))
        {
            throw new BadInputException("nat64.snapshot-file: directory " + directory + " does not exist");
        }
        final SessionSnapshot snapshot;
        try
        {
            snapshot = SessionSnapshot.read(file);
        }
        catch (final SessionSnapshotException ex)
        {
            LOG.warn("{}; starting with no sessions", ex.getMessage());
            return null;
        }
        catch (final IOException ex)
        {
            LOG.warn("session snapshot {}: cannot read it ({}); starting with no sessions", file, ex.toString());
            return null;
        }
        if (snapshot == null)
        {
            LOG.info("session snapshot {}: none yet; starting with no sessions", file);
            return null;
        }
        final SessionRestoreReport report = SessionRestore.into(snapshot, shard, nowNs, wallClockEpochNs(),
            ownership);
        LOG.info("session snapshot {}: {} sessions written {} s before; {}", file, snapshot.count(),
            TimeUnit.NANOSECONDS.toSeconds(Math.max(0, wallClockEpochNs() - snapshot.writtenAtEpochNs())), report);
        return report;
    }

    /**
     * Writes the sessions of every worker's shard. Never throws: a failure is logged (the gateway
     * is stopping either way).
     *
     * @param nowNs the workers' clock.
     * @return sessions written, or -1 when nothing was written.
     */
    public static int save(final GatewayConfig config, final long nowNs, final Pipeline... pipelines)
    {
        final Path file = snapshotFile(config);
        final List<Nat64Shard> shards = new ArrayList<>();
        for (final Pipeline pipeline : pipelines)
        {
            final Nat64Shard shard = shard(pipeline);
            if (shard != null)
            {
                shards.add(shard);
            }
        }
        if (file == null || shards.isEmpty())
        {
            return -1;
        }
        try
        {
            final int count = SessionSnapshot.write(file, nowNs, wallClockEpochNs(), shards.toArray(new Nat64Shard[0]));
            LOG.info("session snapshot {}: {} sessions written", file, count);
            return count;
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.error("session snapshot {}: not written, the sessions are lost: {}", file, ex.toString());
            return -1;
        }
    }

    private static Path snapshotFile(final GatewayConfig config)
    {
        return config.nat64() != null && config.nat64().isStateful() ? config.nat64().stateful().snapshotFile() : null;
    }

    private static Nat64Shard shard(final Pipeline pipeline)
    {
        return pipeline != null && pipeline.hasStage(Nat64Stateful64Stage.NAME)
            ? ((Nat64Stateful64Stage)pipeline.stage(Nat64Stateful64Stage.NAME)).shard() : null;
    }

    private static long wallClockEpochNs()
    {
        final Instant now = Instant.now();
        return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }
}
