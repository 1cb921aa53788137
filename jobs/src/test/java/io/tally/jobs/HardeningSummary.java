package io.tally.jobs;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prints {@link Hardening#summary} once the whole test run ends (registered through
 * META-INF/services/org.junit.platform.launcher.TestExecutionListener), counting failures of the hardening tests,
 * and writes it to jobs/target/hardening-summary.txt, which {@code bin/tally test} prints after the build.
 */
public final class HardeningSummary implements TestExecutionListener {

    private static final Set<String> HARDENING = Set.of("FaultsTest", "RepairKillTest", "BadInputCorpusTest",
            "SecurityTest").stream().map(n -> "io.tally.jobs." + n).collect(java.util.stream.Collectors.toSet());
    private final AtomicInteger failed = new AtomicInteger();

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
            return;
        }
        var source = test.getSource().orElse(null);
        if (source instanceof MethodSource m && HARDENING.contains(m.getClassName())
                || source instanceof org.junit.platform.engine.support.descriptor.ClassSource c
                && HARDENING.contains(c.getClassName())) { // a failed @BeforeAll fails the class, not its methods
            failed.incrementAndGet();
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (Hardening.anything() || failed.get() > 0) {
            String line = Hardening.summary(failed.get());
            System.out.println(line);
            try { // surefire sends test output to files; bin/tally test prints this one after the build
                java.nio.file.Files.writeString(java.nio.file.Path.of("target", "hardening-summary.txt"), line + "\n");
            } catch (java.io.IOException e) {
                System.err.println("cannot write target/hardening-summary.txt: " + e.getMessage());
            }
        }
    }
}
