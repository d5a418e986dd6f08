package dev.baton.node.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

/**
 * The HTTP client a node uses towards other nodes' APIs (forwarded writes, the web page's
 * {@code /v1/cluster}): HTTP/1.1, redirects never followed (a redirect is an answer to pass on),
 * the cluster's TLS when HTTPS is on, answers handled on {@code responder}.
 */
final class PeerHttp {

    private PeerHttp() {}

    /** @param tls client TLS towards the other nodes' HTTPS (trusts the cluster's CA); null = plain HTTP */
    static HttpClient client(SSLContext tls, Executor responder, Duration connectTimeout) {
        HttpClient.Builder b = HttpClient.newBuilder();
        if (tls != null) {
            b.sslContext(tls);
        }
        return b.version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .executor(responder)
                .build();
    }
}
