package dev.refkit.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.GcFinalization;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** The two uses that motivated the map: metadata attached to sockets, and a canonical map. */
class ReferenceMapUsesTest {

    /** What a connection registry knows about a socket, without keeping the socket alive. */
    private record SocketInfo(String peer, Instant openedAt) {
    }

    @Test
    void socketMetadataGoesAwayWithItsSocketAndStaysWhileTheSocketIsInUse() throws IOException {
        ConcurrentLinkedQueue<SocketInfo> forgotten = new ConcurrentLinkedQueue<>();
        ReferenceMap<Socket, SocketInfo> registry = ReferenceMap.<Socket, SocketInfo>builder().weakKeys()
                .onCollected((socket, info) -> forgotten.add(info))
                .build();
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            List<Socket> accepted = new ArrayList<>();
            Socket kept = new Socket();
            try {
                kept.connect(address, 30_000);
                accepted.add(server.accept());
                registry.put(kept, new SocketInfo("kept:" + kept.getLocalPort(), Instant.now()));

                ClosedConnection closed = connectUseAndClose(registry, server, address, accepted);
                String closedPeer = closed.peer();
                WeakReference<Socket> closedProbe = closed.socket();

                GcFinalization.awaitClear(closedProbe);
                GcFinalization.awaitDone(() -> {
                    registry.cleanUp();
                    return !forgotten.isEmpty();
                });

                assertThat(forgotten).extracting(SocketInfo::peer).containsExactly(closedPeer);
                assertThat(registry).hasSize(1);
                assertThat(registry.get(kept).peer()).isEqualTo("kept:" + kept.getLocalPort());
            } finally {
                kept.close();
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        }
    }

    private record ClosedConnection(String peer, WeakReference<Socket> socket) {
    }

    /** A connection that registers, is used and is closed, in a frame of its own (no local outlives it). */
    private static ClosedConnection connectUseAndClose(ReferenceMap<Socket, SocketInfo> registry, ServerSocket server,
            InetSocketAddress address, List<Socket> accepted) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 30_000);
            accepted.add(server.accept());
            String peer = "closed:" + socket.getLocalPort();
            registry.put(socket, new SocketInfo(peer, Instant.now()));
            return new ClosedConnection(peer, new WeakReference<>(socket));
        }
    }

    @Test
    void canonicalMapSharesOneInstancePerValueAndForgetsUnusedOnes() {
        Interner<String> names = Interner.weak();
        String text = "alice bob alice carol bob alice";
        List<String> parsed = new ArrayList<>();
        for (String word : text.split(" ")) {
            parsed.add(names.intern(new String(word)));
        }

        assertThat(parsed.get(0)).isSameAs(parsed.get(2)).isSameAs(parsed.get(5));
        assertThat(parsed.get(1)).isSameAs(parsed.get(4));
        assertThat(names.asSet()).containsExactlyInAnyOrder("alice", "bob", "carol");

        WeakReference<String> carol = new WeakReference<>(parsed.get(3));
        parsed.remove(3);
        GcFinalization.awaitClear(carol);

        assertThat(names.asSet()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(parsed).hasSize(5);
    }
}
