package dev.refkit.examples;

import dev.refkit.map.ReferenceMap;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-connection user metadata, kept beside each live socket without keeping the socket alive.
 *
 * <p>A server that remembers who is on each connection in a {@code HashMap<Socket, User>} keeps every socket
 * (and its buffers and file descriptor object) reachable after the connection handler dropped it, until
 * someone remembers to call {@code remove}. Keyed weakly, by identity, the entry goes when the socket does:
 * {@link #weak()} is that registry; {@link #leaky()} is the {@code HashMap} version, for comparison.
 *
 * <p>Thread-safe (the leaky version synchronises on itself).
 */
public final class SocketRegistry {

    /**
     * Who is on a connection.
     *
     * @param name          the user's name
     * @param clientVersion the version of the client program they connect with
     */
    public record User(String name, String clientVersion) {
        /**
         * Checks that the name is given.
         *
         * @param name          the user's name
         * @param clientVersion the version of the client program they connect with
         */
        public User {
            Objects.requireNonNull(name, "name");
        }
    }

    private final Map<Socket, User> users;

    private SocketRegistry(Map<Socket, User> users) {
        this.users = users;
    }

    /** {@return a registry whose entries go when their socket is no longer used elsewhere} */
    public static SocketRegistry weak() {
        return new SocketRegistry(ReferenceMap.<Socket, User>builder().weakKeys().build());
    }

    /** {@return the classic registry on a {@code HashMap}: every socket stays until it is removed by hand} */
    public static SocketRegistry leaky() {
        return new SocketRegistry(java.util.Collections.synchronizedMap(new HashMap<>()));
    }

    /**
     * Records who is on {@code socket}.
     *
     * @param socket the connection
     * @param user who is on it
     */
    public void register(Socket socket, User user) {
        users.put(socket, user);
    }

    /**
     * Who is on {@code socket}, if it was registered.
     *
     * @param socket the connection
     * @return who is on it, or empty
     */
    public Optional<User> userOf(Socket socket) {
        return Optional.ofNullable(users.get(socket));
    }

    /**
     * Forgets {@code socket} (what the leaky version depends on every caller remembering).
     *
     * @param socket the connection
     */
    public void unregister(Socket socket) {
        users.remove(socket);
    }

    /** {@return the number of sockets registered; for the weak registry, after expunging what the collector cleared} */
    public int size() {
        if (users instanceof ReferenceMap<?, ?> map) {
            map.cleanUp();
        }
        return users.size();
    }
}
