package io.sixgate.daemon.admin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;

/**
 * An HTTP exchange held in memory, for driving {@link AdminHandler} without a socket: the request
 * as given, the answer recorded.
 */
final class RecordedExchange extends HttpExchange
{
    private final String method;
    private final URI uri;
    private final Headers requestHeaders;
    private final Headers responseHeaders = new Headers();
    private InputStream body;
    private final ByteArrayOutputStream responseBody = new ByteArrayOutputStream();
    private int status = -1;
    private long declaredLength;
    private boolean closed;

    RecordedExchange(final String method, final URI uri, final Headers requestHeaders, final byte[] body)
    {
        this.method = method;
        this.uri = uri;
        this.requestHeaders = requestHeaders;
        this.body = new ByteArrayInputStream(body);
    }

    int status()
    {
        return status;
    }

    long declaredLength()
    {
        return declaredLength;
    }

    byte[] responseBytes()
    {
        return responseBody.toByteArray();
    }

    boolean closed()
    {
        return closed;
    }

    @Override
    public Headers getRequestHeaders()
    {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders()
    {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI()
    {
        return uri;
    }

    @Override
    public String getRequestMethod()
    {
        return method;
    }

    @Override
    public HttpContext getHttpContext()
    {
        throw new UnsupportedOperationException("the admin handler needs no context");
    }

    @Override
    public void close()
    {
        closed = true;
    }

    @Override
    public InputStream getRequestBody()
    {
        return body;
    }

    @Override
    public OutputStream getResponseBody()
    {
        return responseBody;
    }

    @Override
    public void sendResponseHeaders(final int code, final long length)
    {
        if (status != -1)
        {
            throw new IllegalStateException("headers sent twice");
        }
        status = code;
        declaredLength = length;
    }

    @Override
    public InetSocketAddress getRemoteAddress()
    {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    }

    @Override
    public int getResponseCode()
    {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress()
    {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 8464);
    }

    @Override
    public String getProtocol()
    {
        return "HTTP/1.1";
    }

    @Override
    public Object getAttribute(final String name)
    {
        return null;
    }

    @Override
    public void setAttribute(final String name, final Object value)
    {
    }

    @Override
    public void setStreams(final InputStream in, final OutputStream out)
    {
        if (in != null)
        {
            body = in;
        }
    }

    @Override
    public HttpPrincipal getPrincipal()
    {
        return null;
    }
}
