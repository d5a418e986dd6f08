package dev.baton.node.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** {@link HttpTransport} on the JDK's built-in {@code com.sun.net.httpserver}. */
final class JdkTransport implements HttpTransport {

    private final HttpServer server;

    private JdkTransport(HttpServer server) {
        this.server = server;
    }

    /** Binds {@code address} (backlog 1024) and runs {@code dispatcher} for each request on {@code workers}. */
    static JdkTransport start(InetSocketAddress address, Executor workers, Consumer<HttpCall> dispatcher) throws IOException {
        ServerTuning.apply();
        HttpServer server = HttpServer.create(address, 1024);
        server.setExecutor(workers);
        server.createContext("/", ex -> dispatcher.accept(new JdkCall(ex)));
        server.start();
        return new JdkTransport(server);
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
