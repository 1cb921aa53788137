package io.tally.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback between Tally and a database server that breaks connections on demand, as a network
 * fault or a server restart would: {@link #cutAfter} resets connections once the server has sent them a number of
 * bytes (mid-read), {@link #restart} resets every open connection and refuses new ones for a while. Counts what it
 * did so a test can prove the fault really happened.
 */
final class FaultProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String host;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private final AtomicLong cutAfterBytes = new AtomicLong(Long.MAX_VALUE);
    private final AtomicInteger cuts = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong total = new AtomicLong();
    private volatile long refuseUntil;
    private final java.util.List<String> log = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    /** A proxy to {@code host:port}, listening on a free loopback port. */
    FaultProxy(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "fault-proxy-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    /** A proxy to the server a JDBC or MongoDB URL names. */
    static FaultProxy to(String url) throws IOException {
        URI u = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
        return new FaultProxy(u.getHost(), u.getPort());
    }

    /** {@code url} with its host and port replaced by this proxy's. */
    String route(String url) {
        return url.replaceFirst("//[^/?]+", "//127.0.0.1:" + listener.getLocalPort());
    }

    /** From now on, the next {@code times} connections to carry more than {@code bytes} (both ways) are reset. */
    void cutAfter(long bytes, int times) {
        cutAfterBytes.set(bytes);
        cutsLeft.set(times);
    }

    /** Resets every open connection and refuses new ones for {@code millis}, as a server restart does. */
    void restart(long millis) {
        refuseUntil = System.currentTimeMillis() + millis;
        int reset = 0;
        for (Socket s : open) {
            reset(s);
            reset++;
        }
        if (reset > 0) {
            cuts.incrementAndGet();
            log.add("restart: " + reset + " sockets reset");
        }
    }

    int cuts() {
        return cuts.get();
    }

    /** Bytes carried so far, both ways, all connections. */
    long bytes() {
        return total.get();
    }

    /** What happened, in order: connections opened and cut. */
    String log() {
        synchronized (log) {
            return String.join("; ", log);
        }
    }

    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (System.currentTimeMillis() < refuseUntil) {
                    reset(client);
                    continue;
                }
                open.add(client); // before the upstream connect: a restart meanwhile resets it too
                Socket server = new Socket();
                open.add(server);
                try {
                    server.connect(new InetSocketAddress(host, port), 5000);
                } catch (IOException refused) {
                    reset(client); // the client sees its connection end, as with the server itself
                    reset(server);
                    continue;
                }
                log.add("connection " + connections.incrementAndGet());
                AtomicLong carried = new AtomicLong();
                java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
                pump(client, server, carried, cut, client, server);
                pump(server, client, carried, cut, client, server);
            } catch (IOException e) {
                // the listener closed
            }
        }
    }

    /** Copies {@code from} to {@code to}, counting what the connection carried, and cuts it when told to. */
    private void pump(Socket from, Socket to, AtomicLong carried, java.util.concurrent.atomic.AtomicBoolean cut,
                      Socket client, Socket server) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    total.addAndGet(n);
                    // one cut per connection, whichever direction crosses the threshold first
                    if (carried.addAndGet(n) > cutAfterBytes.get() && !cut.get()
                            && cutsLeft.getAndUpdate(c -> Math.max(0, c - 1)) > 0 && cut.compareAndSet(false, true)) {
                        out.write(buf, 0, n / 2); // half a packet, then a reset: cut mid-row
                        out.flush();
                        cuts.incrementAndGet();
                        log.add("cut " + (from == server ? "reading" : "writing") + " after " + carried.get() + " bytes");
                        break;
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // the other direction, or a cut, closed the pair
            } finally {
                reset(client);
                reset(server);
            }
        }, "fault-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // RST, not FIN: the peer sees the connection break, not end
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
        open.remove(s);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            reset(s);
        }
    }
}
