package io.sixgate.daemon.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's bearer token ({@code admin.token-file}), re-read on every reload. Requests
 * compare theirs in constant time ({@link MessageDigest#isEqual}), so the time an answer takes
 * says nothing about how much of a guess was right.
 */
public final class AdminToken
{
    private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);
    private static final String BEARER = "Bearer ";

    private volatile byte[] token;

    /**
     * @param token the token's bytes, or {@code null} when the API asks for none.
     */
    public AdminToken(final byte[] token)
    {
        this.token = token == null ? null : token.clone();
    }

    /**
     * Reads a token file: its content, surrounding white space trimmed, must not be empty.
     * Warns when users other than the owner may read it.
     *
     * @param file the file, or {@code null} for no token.
     * @return the token, or {@code null} when {@code file} is.
     * @throws IOException saying which file and why, in one line.
     */
    public static byte[] read(final Path file) throws IOException
    {
        if (file == null)
        {
            return null;
        }
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        catch (final NoSuchFileException ex)
        {
            throw new IOException("admin.token-file " + file + ": no such file", ex);
        }
        catch (final AccessDeniedException ex)
        {
            throw new IOException("admin.token-file " + file + ": permission denied", ex);
        }
        catch (final IOException ex)
        {
            throw new IOException("admin.token-file " + file + ": cannot read: "
                + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()), ex);
        }
        if (text.isEmpty())
        {
            throw new IOException("admin.token-file " + file + ": the file is empty; put the token in it");
        }
        if (text.chars().anyMatch(c -> c <= ' ' || c > '~'))
        {
            throw new IOException("admin.token-file " + file + ": the token must be one line of printable ASCII"
                + " without spaces (e.g. base64)");
        }
        warnIfOthersCanRead(file);
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void warnIfOthersCanRead(final Path file)
    {
        try
        {
            final PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (view == null)
            {
                return;
            }
            final Set<PosixFilePermission> permissions = view.readAttributes().permissions();
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ))
            {
                LOG.warn("admin.token-file {} can be read by other users; chmod 600 it", file);
            }
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            LOG.debug("cannot read the permissions of {}", file, ex);
        }
    }

    /**
     * @return whether requests must carry the token.
     */
    public boolean required()
    {
        return token != null;
    }

    /**
     * @param authorization the request's {@code Authorization} header, or {@code null}.
     * @return whether it is {@code Bearer TOKEN} with this token (always true when none is required).
     */
    public boolean accepts(final String authorization)
    {
        final byte[] expected = token;
        if (expected == null)
        {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length()))
        {
            return false;
        }
        final byte[] offered = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, offered);
    }

    /**
     * @return the token in force, or {@code null}.
     */
    byte[] current()
    {
        final byte[] current = token;
        return current == null ? null : current.clone();
    }

    /**
     * Puts another token in force (a reload).
     */
    void replace(final byte[] newToken)
    {
        token = newToken == null ? null : newToken.clone();
    }
}
