package dev.refkit.bench;

import dev.refkit.leak.ResourceTracker;
import dev.refkit.leak.Tracked;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of leak tracking per resource: allocate a resource, track it, close it. refkit's
 * {@link ResourceTracker} at each level against Netty's {@link ResourceLeakDetector} at each of its levels,
 * both sampling one resource in 128 where they sample, plus the same resource untracked as the baseline.
 *
 * <p>Corresponding levels: refkit {@code DISABLED} ~ Netty {@code DISABLED}; {@code SAMPLED} ~ {@code SIMPLE}
 * (1 in 128, no traces); {@code ALL_WITH_TRACES} ~ {@code PARANOID} (every resource, with traces). Netty's
 * {@code ADVANCED} samples with traces, refkit's {@code ALL} tracks everything without; neither has an
 * exact counterpart. Each resource records one use before it is closed, which costs a stack trace at the
 * traced levels of both.
 *
 * <p>Run: {@code java -jar refkit-bench/target/benchmarks.jar ResourceTrackerBenchmark}; add {@code -t 2}
 * for two threads tracking at once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResourceTrackerBenchmark {

    private static final int SAMPLING_INTERVAL = 128;

    /** refkit's tracker at one level. */
    @State(Scope.Benchmark)
    public static class Refkit {
        @Param({"DISABLED", "SAMPLED", "ALL", "ALL_WITH_TRACES"})
        public String level;

        ResourceTracker<RefkitResource> tracker;

        @Setup
        public void setUp() {
            tracker = ResourceTracker.builder("bench")
                    .level(ResourceTracker.Level.valueOf(level))
                    .samplingInterval(SAMPLING_INTERVAL)
                    .listener(leak -> {
                        throw new AssertionError("the benchmark closes every resource, yet: " + leak);
                    })
                    .build();
        }
    }

    /** Netty's detector at one level (a JVM-wide setting; each configuration runs in its own fork). */
    @State(Scope.Benchmark)
    public static class Netty {
        @Param({"DISABLED", "SIMPLE", "ADVANCED", "PARANOID"})
        public String nettyLevel;

        ResourceLeakDetector<NettyResource> detector;

        @Setup
        public void setUp() {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.valueOf(nettyLevel));
            detector = ResourceLeakDetectorFactory.instance()
                    .newResourceLeakDetector(NettyResource.class, SAMPLING_INTERVAL);
        }
    }

    /** A resource tracked by refkit, in the way the tracker is meant to be used. */
    static final class RefkitResource {
        private final Tracked tracked;
        long position;

        RefkitResource(ResourceTracker<RefkitResource> tracker) {
            this.tracked = tracker.track(this);
        }

        void read() {
            position++;
            tracked.record();
        }

        void close() {
            tracked.close();
        }
    }

    /** A resource tracked by Netty, in the way Netty's buffers use their detector. */
    static final class NettyResource {
        private final ResourceLeakTracker<NettyResource> tracker;
        long position;

        NettyResource(ResourceLeakDetector<NettyResource> detector) {
            this.tracker = detector.track(this);
        }

        void read() {
            position++;
            if (tracker != null) {
                tracker.record();
            }
        }

        void close() {
            if (tracker != null) {
                tracker.close(this);
            }
        }
    }

    /** A resource without tracking: the cost of allocating and using it alone. */
    static final class PlainResource {
        long position;

        void read() {
            position++;
        }
    }

    @Benchmark
    public Object untracked() {
        PlainResource resource = new PlainResource();
        resource.read();
        return resource;
    }

    @Benchmark
    public Object refkit(Refkit state) {
        RefkitResource resource = new RefkitResource(state.tracker);
        resource.read();
        resource.close();
        return resource;
    }

    @Benchmark
    public Object netty(Netty state) {
        NettyResource resource = new NettyResource(state.detector);
        resource.read();
        resource.close();
        return resource;
    }
}
