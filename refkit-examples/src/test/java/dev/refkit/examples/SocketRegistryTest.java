package dev.refkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.GcFinalization;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SocketRegistryTest {

    private ServerSocket server;
    private final List<Socket> accepted = new ArrayList<>();

    @BeforeEach
    void listen() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : accepted) {
            s.close();
        }
        server.close();
    }

    /** Opens a real loopback connection and returns the client side. */
    private Socket connect() throws Exception {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        accepted.add(server.accept());
        return client;
    }

    /** Registers {@code n} connections, closes and drops them, and returns weak handles on the client sockets. */
    private List<WeakReference<Socket>> registerAndDrop(SocketRegistry registry, int n) throws Exception {
        List<WeakReference<Socket>> dropped = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket client = connect();
            registry.register(client, new SocketRegistry.User("user-" + i, "1." + i));
            client.close();
            dropped.add(new WeakReference<>(client));
        }
        return dropped;
    }

    @Test
    void metadataOfALiveSocketIsFound() throws Exception {
        SocketRegistry registry = SocketRegistry.weak();
        try (Socket client = connect()) {
            registry.register(client, new SocketRegistry.User("ada", "2.1"));

            assertThat(registry.userOf(client)).contains(new SocketRegistry.User("ada", "2.1"));
        }
    }

    @Test
    void weakRegistryForgetsSocketsOnceTheyAreDropped() throws Exception {
        SocketRegistry registry = SocketRegistry.weak();
        List<WeakReference<Socket>> dropped = registerAndDrop(registry, 20);

        for (WeakReference<Socket> socket : dropped) {
            GcFinalization.awaitClear(socket);
        }
        // Cleared at once, enqueued a moment later by the reference handler: wait, bounded, for the expunge.
        GcFinalization.awaitDone(() -> registry.size() == 0);
        assertThat(registry.size()).isZero();
    }

    @Test
    void weakRegistryKeepsTheSocketsStillInUse() throws Exception {
        SocketRegistry registry = SocketRegistry.weak();
        Socket kept = connect();
        registry.register(kept, new SocketRegistry.User("grace", "3.0"));
        List<WeakReference<Socket>> dropped = registerAndDrop(registry, 5);

        for (WeakReference<Socket> socket : dropped) {
            GcFinalization.awaitClear(socket);
        }
        GcFinalization.awaitDone(() -> registry.size() <= 1);
        assertThat(registry.size()).isEqualTo(1);
        assertThat(registry.userOf(kept)).map(SocketRegistry.User::name).contains("grace");
        kept.close();
    }

    @Test
    void leakyRegistryRetainsEveryDroppedSocket() throws Exception {
        SocketRegistry registry = SocketRegistry.leaky();
        List<WeakReference<Socket>> dropped = registerAndDrop(registry, 20);

        GcFinalization.awaitFullGc();
        assertThat(dropped).allSatisfy(socket -> assertThat(socket.get()).isNotNull());
        assertThat(registry.size()).isEqualTo(20);
    }
}
