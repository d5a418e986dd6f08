package dev.baton.node.http;

import dev.baton.node.config.HttpLimits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link HttpTransport} on Netty's NIO transport (no native library): one acceptor thread, {@value
 * #IO_THREADS} event loops that parse requests and write answers, handlers run on the caller's
 * {@code workers}. Timeouts and connection limits ({@link HttpLimits}) live in {@link
 * NettyCallHandler}; the pipeline is the place for TLS ({@code SslHandler}).
 */
final class NettyTransport implements HttpTransport {

    /** Event loops; the node's machine has few cores, and the event loops only move bytes. */
    static final int IO_THREADS = 2;

    /** Request line and header limits; the longest target Baton accepts (a 512-byte key, escaped, plus a query) fits. */
    private static final int MAX_INITIAL_LINE = 16 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final EventLoopGroup acceptor;
    private final EventLoopGroup loops;
    private final Channel server;
    private final ConnectionLimits connections;

    private NettyTransport(EventLoopGroup acceptor, EventLoopGroup loops, Channel server, ConnectionLimits connections) {
        this.acceptor = acceptor;
        this.loops = loops;
        this.server = server;
        this.connections = connections;
    }

    /** Connections counted within the limits right now. */
    int openConnections() {
        return connections.open();
    }

    /** Plain HTTP; see {@link #start(InetSocketAddress, Executor, Consumer, int, HttpLimits, Supplier)}. */
    static NettyTransport start(InetSocketAddress address, Executor workers, Consumer<HttpCall> dispatcher, int maxBody,
            HttpLimits limits) throws IOException {
        return start(address, workers, dispatcher, maxBody, limits, null);
    }

    /**
     * Binds {@code address} (backlog 1024) and runs {@code dispatcher} for each complete request on
     * {@code workers}; request bodies are kept up to {@code maxBody} bytes (more is refused with 413).
     * A port in use is a {@link java.net.BindException}. {@code tls} (null = plain HTTP) makes the
     * first handler of each connection, which must hand the HTTP codec plain bytes.
     */
    static NettyTransport start(InetSocketAddress address, Executor workers, Consumer<HttpCall> dispatcher, int maxBody,
            HttpLimits limits, Supplier<ChannelHandler> tls) throws IOException {
        ConnectionLimits connections = new ConnectionLimits(limits.maxConnections(), limits.maxConnectionsPerClient());
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("baton-http-accept", true), NioIoHandler.newFactory());
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(IO_THREADS, new DefaultThreadFactory("baton-http-io", true), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, loops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                // a full answer is one write here, but an event stream's pieces are small: with
                // Nagle's algorithm on, each would wait for the ACK of the last, which the peer
                // delays by up to 40 ms (the JDK server, which wrote headers and body apart, made
                // 36 writes/s at 1 in flight with it and 130-196 without)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // a client that shuts its sending side still gets its answer (or a 400 for a body
                // shorter than it declared); NettyCallHandler closes the connection after
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.get());
                        }
                        // after TLS: the byte watch sees request bytes, not handshake records
                        NettyCallHandler calls = new NettyCallHandler(workers, dispatcher, maxBody, limits, connections);
                        ch.pipeline().addLast(calls.byteWatch(), new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192), calls);
                    }
                });
        try {
            Channel server = bootstrap.bind(address).sync().channel();
            return new NettyTransport(acceptor, loops, server, connections);
        } catch (InterruptedException e) {
            shutdown(acceptor, loops);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted binding " + address);
        } catch (Exception e) { // sync() rethrows the bind failure (e.g. BindException) unchecked
            shutdown(acceptor, loops);
            if (e instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    @Override
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        shutdown(acceptor, loops);
    }

    /** No quiet period: open connections close at once, as the JDK server's {@code stop(0)} did. */
    private static void shutdown(EventLoopGroup... groups) {
        for (EventLoopGroup g : groups) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        for (EventLoopGroup g : groups) {
            g.terminationFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
