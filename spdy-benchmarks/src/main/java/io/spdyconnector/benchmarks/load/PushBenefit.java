package io.spdyconnector.benchmarks.load;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyPush;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What server push buys a page with 30 sub-resources over a 100 ms round trip: a browser-like
 * client loads the page, then every resource it names that was not pushed, all at once. Each
 * visit is a new session, as a returning visitor's would be. With learning off, nothing is pushed;
 * with it on, a first visit teaches the server, and later visits get the resources with the page.
 *
 * <pre>java -cp spdy-benchmarks/target/benchmarks.jar io.spdyconnector.benchmarks.load.PushBenefit [rtt-ms] [visits]</pre>
 */
public final class PushBenefit {
    private static final Pattern LINK = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
    private static final int RESOURCES = 30;

    private PushBenefit() {
    }

    public static void main(String[] args) throws Exception {
        long rtt = args.length > 0 ? Long.parseLong(args[0]) : 100;
        int visits = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path docs = site();
        System.out.printf("%-16s %-10s %12s %12s %8s%n", "container", "push", "median ms", "round trips", "pushed");
        for (String container : new String[] {"jetty", "tomcat"}) {
            double off = 0;
            for (boolean learning : new boolean[] {false, true}) {
                try (Containers.Running server = container.equals("jetty") ? Containers.jetty(docs, learning)
                        : Containers.tomcat(docs, learning);
                        DelayProxy proxy = new DelayProxy(address(server.url("/")), rtt)) {
                    String page = "http://127.0.0.1:" + proxy.port() + "/page.html";
                    visit(page);
                    long[] millis = new long[visits];
                    int pushed = 0;
                    for (int i = 0; i < visits; i++) {
                        long t0 = System.nanoTime();
                        pushed = visit(page);
                        millis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    }
                    Arrays.sort(millis);
                    double median = millis[visits / 2];
                    if (!learning) {
                        off = median;
                    }
                    System.out.printf(Locale.ROOT, "%-16s %-10s %12.0f %12.1f %8d%s%n", server.name(),
                            learning ? "learned" : "off", median, median / rtt, pushed,
                            learning ? String.format(Locale.ROOT, "   %.2fx faster", off / median) : "");
                }
            }
        }
    }

    /** Loads the page and what it names, as a browser would; returns how many resources were pushed. */
    private static int visit(String page) throws Exception {
        try (SpdyClient client = SpdyClient.builder().userAgent("Browser/1").build()) {
            SpdyResponse r = client.send(SpdyRequest.get(page));
            Set<String> pushed = r.pushes().stream().map(SpdyPush::path).collect(Collectors.toSet());
            Matcher m = LINK.matcher(r.bodyAsString());
            List<CompletableFuture<SpdyResponse>> fetches = new ArrayList<>();
            while (m.find()) {
                String path = m.group(1);
                if (!pushed.contains(path)) {
                    fetches.add(client.sendAsync(SpdyRequest.newBuilder(URI.create(page).resolve(path).toString())
                            .header("referer", page).build()));
                }
            }
            for (CompletableFuture<SpdyResponse> f : fetches) {
                if (f.get(60, TimeUnit.SECONDS).status() != 200) {
                    throw new IllegalStateException("a sub-resource failed");
                }
            }
            return pushed.size();
        }
    }

    /** A page naming 30 style sheets, scripts and images of 2 to 20 KiB. */
    private static Path site() throws Exception {
        Path docs = Files.createTempDirectory("push-site");
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head>");
        for (int i = 0; i < RESOURCES; i++) {
            String name = switch (i % 3) {
                case 0 -> "/r/s" + i + ".css";
                case 1 -> "/r/j" + i + ".js";
                default -> "/r/i" + i + ".png";
            };
            Files.createDirectories(docs.resolve("r"));
            Files.write(docs.resolve(name.substring(1)), new byte[2048 + (i * 7919) % 18432]);
            html.append(name.endsWith(".css") ? "<link rel=\"stylesheet\" href=\"" + name + "\">"
                    : name.endsWith(".js") ? "<script src=\"" + name + "\"></script>" : "<img src=\"" + name + "\">");
        }
        Files.writeString(docs.resolve("page.html"), html.append("</head><body>page</body></html>").toString());
        return docs;
    }

    private static InetSocketAddress address(String url) {
        URI uri = URI.create(url);
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }
}
