package io.sixgate.daemon.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Where each key and list element of a configuration document is, so that checks made after
 * binding (ranges, cross-references) still name the line. Keys are display paths such as
 * {@code ports[1].mtu}; the root is the empty path.
 */
final class ConfigLocations
{
    /**
     * @param line  1-based line of the key, or of the value for list elements and the root.
     * @param token the first token of the value.
     * @param text  the scalar's text, or {@code null} for mappings and lists.
     */
    record Entry(int line, JsonToken token, String text)
    {
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, Integer> keyLines = new HashMap<>();
    private final List<String> emptyValues = new ArrayList<>();

    /**
     * Records the token the parser is on; called for every token of the document.
     */
    void record(final JsonToken token, final JsonStreamContext context, final int line, final String text)
    {
        if (token == JsonToken.FIELD_NAME)
        {
            keyLines.putIfAbsent(path(context), line);
            return;
        }
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY)
        {
            return;
        }
        final boolean opens = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY;
        final String path = path(opens ? context.getParent() : context);
        final int keyLine = keyLines.getOrDefault(path, line);
        entries.putIfAbsent(path, new Entry(keyLine, token, opens ? null : text));
        if (token == JsonToken.VALUE_NULL)
        {
            emptyValues.add(path);
        }
    }

    /**
     * @return the display path of the value the context is positioned on.
     */
    static String path(final JsonStreamContext context)
    {
        if (context == null || context.inRoot())
        {
            return "";
        }
        final String parent = path(context.getParent());
        if (context.inArray())
        {
            return parent + "[" + Math.max(0, context.getCurrentIndex()) + "]";
        }
        final String name = context.getCurrentName();
        if (name == null)
        {
            return parent;
        }
        return parent.isEmpty() ? name : parent + "." + name;
    }

    /**
     * @return the entry at the path, or {@code null} when the document has no such key.
     */
    Entry entry(final String path)
    {
        return entries.get(path);
    }

    boolean has(final String path)
    {
        return entries.containsKey(path);
    }

    /**
     * @return the line of the path, or of its nearest ancestor present in the document, or 1.
     */
    int line(final String path)
    {
        String current = path;
        while (true)
        {
            final Entry entry = entries.get(current);
            if (entry != null)
            {
                return entry.line();
            }
            if (current.isEmpty())
            {
                return 1;
            }
            current = parentPath(current);
        }
    }

    /**
     * @return paths whose value is empty ({@code key:}, {@code ~}, {@code null}), in document order.
     */
    List<String> emptyValues()
    {
        return emptyValues;
    }

    static String parentPath(final String path)
    {
        final int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
