package dev.refkit.cache;

/**
 * A {@link CacheLoader} failed. Every caller that was waiting for that load receives its own instance with
 * the loader's exception as the {@linkplain #getCause() cause}; nothing was cached, and the next request
 * for the key calls the loader again.
 */
public final class CacheLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CacheLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
