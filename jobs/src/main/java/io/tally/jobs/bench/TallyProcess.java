package io.tally.jobs.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code tally verify} in its own JVM, as an operator would, and samples its peak resident memory. */
final class TallyProcess {

    private TallyProcess() {
    }

    /** Runs the verification; returns the child's peak RSS in kB (VmHWM). */
    static long verify(Path config, Path out) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + System.getenv().getOrDefault("TALLY_HEAP", "2g")));
        String flags = System.getProperty("tally.jvm.flags.file");
        if (flags != null) {
            cmd.addAll(List.of(Files.readString(Path.of(flags)).trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tally.jobs.TallyCli", "verify", "--config",
                config.toString(), "--out", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.resolve("tally.log").toFile())
                .start();
        long peak = 0;
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        while (p.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        peak = Math.max(peak, Long.parseLong(line.replaceAll("\\D", "")));
                    }
                }
            } catch (java.io.IOException gone) {
                break;
            }
            Thread.sleep(200);
        }
        int code = p.waitFor();
        if (code > 1) {
            throw new IllegalStateException("tally verify exited " + code + "; see " + out.resolve("tally.log"));
        }
        return peak;
    }
}
