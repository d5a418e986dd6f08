package dev.baton.node.http;

import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.ErrorCodes;
import dev.baton.node.config.HttpLimits;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests: gathers each request and its body into a {@link NettyCall} and
 * dispatches it on {@code workers} (handlers may take locks and must not stall the event loop).
 *
 * <p>One call at a time per connection, as HTTP/1.1 requires answers in request order while ours
 * are written asynchronously: reading stops when a call is dispatched and resumes once it is
 * answered; anything already decoded meanwhile (a pipelining client) waits in {@code held}.
 *
 * <p>A slow client holds a connection, never a thread: each {@link Phase} but {@code BUSY} has a
 * deadline on the event loop ({@link HttpLimits}); a head or body not complete in time is answered
 * 408 and closed, an idle kept-alive connection is closed quietly. A dispatched call has no deadline
 * here (its handler answers within the request timeout; an event stream lasts as long as it is
 * read). A connection over the {@link ConnectionLimits} may send one request: a health check is
 * answered, anything else refused with 503/429; either way it is closed after.
 *
 * <p>Threading: every method runs on the channel's event loop, which owns all fields.
 */
final class NettyCallHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(NettyCallHandler.class);

    /** Where the connection is; each phase but BUSY and CLOSING has its deadline. */
    private enum Phase {
        /** Waiting for a request head to complete (header timeout, from the connection or its first byte). */
        HEAD,
        /** A head arrived, its body is arriving (body timeout, from the head). */
        BODY,
        /** A call is dispatched and not yet answered. */
        BUSY,
        /** Kept alive after an answer, no byte of the next request yet (idle timeout). */
        IDLE,
        /** Refused or timed out: an error answer is on its way, then the connection closes; nothing more is read. */
        CLOSING
    }

    private final Executor workers;
    private final Consumer<HttpCall> dispatcher;
    private final int maxBody;
    private final HttpLimits limits;
    private final ConnectionLimits connections;
    private final Queue<HttpObject> held = new ArrayDeque<>();
    private NettyCall reading; // the call whose body is arriving
    private NettyCall current; // the dispatched call
    private Phase phase = Phase.HEAD;
    private ScheduledFuture<?> deadline;
    private boolean headStarted; // a byte of the next request head arrived
    private boolean inputShut; // the client half-closed: answer what is dispatched, then close
    private String client;
    private ConnectionLimits.Admission admission; // null until active, and after release
    private ChannelHandlerContext ctx;

    NettyCallHandler(Executor workers, Consumer<HttpCall> dispatcher, int maxBody, HttpLimits limits, ConnectionLimits connections) {
        this.workers = workers;
        this.dispatcher = dispatcher;
        this.maxBody = maxBody;
        this.limits = limits;
        this.connections = connections;
    }

    /** Default limits, its own connection count: for tests of one connection. */
    NettyCallHandler(Executor workers, Consumer<HttpCall> dispatcher, int maxBody) {
        this(workers, dispatcher, maxBody, HttpLimits.DEFAULTS,
                new ConnectionLimits(HttpLimits.DEFAULT_MAX_CONNECTIONS, HttpLimits.DEFAULT_MAX_PER_CLIENT));
    }

    /**
     * A handler for in front of the HTTP decoder: it sees raw bytes, so that the header timeout of
     * a kept-alive connection starts with the first byte of the next request, not the last answer.
     */
    ChannelHandler byteWatch() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                bytesArrived();
                c.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            admit();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        admit();
        ctx.fireChannelActive();
    }

    private void admit() {
        if (admission != null) {
            return;
        }
        client = ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress()
                : String.valueOf(ctx.channel().remoteAddress());
        admission = connections.admit(client);
        if (admission == ConnectionLimits.Admission.DROPPED) {
            log.debug("HTTP connection from {} closed unread: over the connection limits and their overflow", client);
            phase = Phase.CLOSING;
            ctx.close();
            return;
        }
        arm(Phase.HEAD);
    }

    private void bytesArrived() {
        if (phase == Phase.IDLE) {
            arm(Phase.HEAD);
        }
        if (phase == Phase.HEAD) {
            headStarted = true;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject o)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (phase == Phase.CLOSING) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (phase == Phase.BUSY) {
            held.add(o);
            return;
        }
        handle(o);
    }

    private void handle(HttpObject msg) {
        try {
            if (msg instanceof HttpRequest request) {
                if (request.decoderResult().isFailure()) {
                    reject(400, ErrorCodes.INVALID_PARAMETER, "malformed HTTP request: " + request.decoderResult().cause());
                    return;
                }
                RequestTarget target;
                try {
                    target = RequestTarget.parse(request.uri());
                } catch (ApiException e) {
                    reject(e.status, e.body.error(), e.body.message());
                    return;
                }
                if (admission != ConnectionLimits.Admission.ADMITTED) {
                    if (!target.rawPath().startsWith("/health/")) {
                        refuseOverLimit();
                        return;
                    }
                    // answered, then closed: an overflow connection serves one health check
                    request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                if (HttpUtil.is100ContinueExpected(request)) {
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
                }
                reading = new NettyCall(ctx.channel(), request, target, maxBody, this::answered);
                arm(Phase.BODY);
            }
            if (msg instanceof HttpContent content && reading != null) {
                if (content.decoderResult().isFailure()) {
                    reject(400, ErrorCodes.INVALID_PARAMETER, "malformed HTTP request body: " + content.decoderResult().cause());
                    return;
                }
                reading.append(content.content());
                if (content instanceof LastHttpContent) {
                    NettyCall call = reading;
                    reading = null;
                    dispatch(call);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void refuseOverLimit() {
        if (admission == ConnectionLimits.Admission.NODE_FULL) {
            reject(503, ErrorCodes.OVERLOADED, "this node holds its maximum of HTTP connections (" + HttpLimits.MAX_CONNECTIONS_OPTION
                    + " " + limits.maxConnections() + "); retry shortly");
        } else {
            reject(429, ErrorCodes.TOO_MANY_CONNECTIONS, "client " + client + " holds its maximum of HTTP connections to this node ("
                    + HttpLimits.MAX_PER_CLIENT_OPTION + " " + limits.maxConnectionsPerClient() + "); reuse or close some");
        }
    }

    private void dispatch(NettyCall call) {
        arm(Phase.BUSY);
        current = call;
        ctx.channel().config().setAutoRead(false);
        try {
            workers.execute(() -> dispatcher.accept(call));
        } catch (RejectedExecutionException e) {
            ctx.close(); // shutting down
        }
    }

    /** Event loop: the dispatched call is answered; take the next request. */
    private void answered() {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(this::answered);
            return;
        }
        if (phase != Phase.BUSY) {
            return; // closing
        }
        current = null;
        if (inputShut) {
            ctx.close(); // the client sends no more requests
            return;
        }
        arm(Phase.IDLE);
        while (phase != Phase.BUSY && phase != Phase.CLOSING && !held.isEmpty()) {
            handle(held.poll());
        }
        if (phase != Phase.BUSY && phase != Phase.CLOSING) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Moves to {@code next}, replacing the deadline of the phase before by its own. */
    private void arm(Phase next) {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        phase = next;
        if (next == Phase.IDLE) {
            headStarted = false;
        }
        long ms = switch (next) {
            case HEAD -> limits.headerTimeoutMs();
            case BODY -> limits.bodyTimeoutMs();
            case IDLE -> limits.idleTimeoutMs();
            case BUSY, CLOSING -> 0;
        };
        if (ms > 0) {
            deadline = ctx.executor().schedule(() -> expired(next), ms, TimeUnit.MILLISECONDS);
        }
    }

    private void expired(Phase which) {
        if (phase != which || !ctx.channel().isOpen()) {
            return;
        }
        switch (which) {
            case IDLE -> {
                log.debug("HTTP connection from {} idle for {} ms: closed", client, limits.idleTimeoutMs());
                phase = Phase.CLOSING;
                ctx.close();
            }
            case HEAD -> reject(408, ErrorCodes.REQUEST_TIMEOUT, "request head not complete within " + limits.headerTimeoutMs()
                    + " ms (" + HttpLimits.HEADER_TIMEOUT_OPTION + ")");
            case BODY -> reject(408, ErrorCodes.REQUEST_TIMEOUT, "request body not complete within " + limits.bodyTimeoutMs()
                    + " ms (" + HttpLimits.BODY_TIMEOUT_OPTION + "): " + (reading == null ? 0 : reading.received()) + " bytes arrived");
            case BUSY, CLOSING -> { }
        }
    }

    /**
     * An error answer to a request that was not dispatched (so nothing of an answer was written),
     * then close: what the client sends after it is not read.
     */
    private void reject(int status, String code, String message) {
        log.debug("HTTP request from {} refused with {}: {}", client, status, message);
        arm(Phase.CLOSING);
        reading = null;
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        ctx.channel().config().setAutoRead(false);
        byte[] body = Json.bytes(ErrorBody.of(code, message));
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * The client shut its sending side (the channel allows half-closure so that it still gets an
     * answer): a dispatched call is answered, then the connection closes; a body cut short (its
     * Content-Length lied) or a head cut short is a 400; otherwise it closes now. Every branch
     * ends in a close, so a half-closed connection never keeps its descriptor.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShut = true;
            switch (phase) {
                case BUSY -> {
                    if (current != null && current.streaming()) {
                        ctx.close(); // a stream's client that stops sending has left
                    }
                }
                case BODY -> reject(400, ErrorCodes.MALFORMED_REQUEST, "the client ended the request after "
                        + (reading == null ? 0 : reading.received()) + " body bytes; Content-Length declared "
                        + (reading == null ? "?" : reading.header("Content-Length")));
                case HEAD -> {
                    if (headStarted) {
                        reject(400, ErrorCodes.MALFORMED_REQUEST, "the client ended the connection inside a request head");
                    } else {
                        phase = Phase.CLOSING;
                        ctx.close();
                    }
                }
                case IDLE -> {
                    phase = Phase.CLOSING;
                    ctx.close();
                }
                case CLOSING -> { }
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        phase = Phase.CLOSING;
        reading = null;
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        if (admission != null) {
            connections.release(client, admission);
            admission = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
