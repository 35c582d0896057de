/**
 * Run-time leak detection: objects that should have been collected ({@code LeakWatcher}) and resources
 * that became unreachable without being closed ({@code ResourceTracker}).
 */
package dev.refkit.leak;
