package io.qbosync.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product image's file system runs: its layers are unpacked into a folder and its own Java is started there
 * under {@code chroot} with a private /proc (the loader needs /proc/self/exe), as a container would see it, with
 * none of the build machine's libraries. As root the commands run as the image's user 10001; as a normal user in a
 * user namespace ({@code unshare --map-root-user}). No container runtime is needed; a machine that allows neither
 * fails the test with the reason, it does not skip it.
 */
class ImageRunsTest {

    @TempDir
    static Path root;

    @BeforeAll
    static void unpack() throws IOException {
        OciImage.read(ImageTarballTest.PRODUCT).extractTo(root);
        // @TempDir is the build user's alone; the image's user must be able to enter it, as the / of a container.
        java.nio.file.Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void javaOfTheImageStarts() throws Exception {
        Result r = run("/opt/java/bin/java", "-version");
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("openjdk version \"17.");
    }

    @Test
    void mainClassAndItsClassPathLoad() throws Exception {
        // --dry-run: the JVM starts with the image's flags and class path file and loads the main class, without running it.
        List<String> command = new ArrayList<>(List.of("/opt/java/bin/java", "--dry-run"));
        command.addAll(ImageTarballTest.JVM_FLAGS);
        command.addAll(List.of("-cp", "@/app/jib-classpath-file", "io.qbosync.QboSyncApplication"));
        Result r = run(command.toArray(String[]::new));
        assertThat(r.exit).as(r.output).isZero();
        // Silent when the class and everything its verification needs are found; else "Error: Could not find ...".
        assertThat(r.output.substring(r.output.indexOf('\n') + 1)).isEmpty();
    }

    @Test
    void javaTrustsTheUsualCertificateAuthorities() throws Exception {
        Result r = run("/opt/java/bin/keytool", "-list", "-cacerts", "-storepass", "changeit");
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output.lines().filter(l -> l.contains("trustedCertEntry")).count()).isGreaterThan(100);
    }

    @Test
    void healthCheckHelperRunsAndFailsOnAClosedPort() throws Exception {
        Result r = run("/opt/java/bin/java", "-Xmx16m", "-XX:TieredStopAtLevel=1", "-cp", "/opt/qbosync/healthcheck",
                "HealthCheck", "http://127.0.0.1:9/actuator/health/readiness");
        assertThat(r.exit).as(r.output).isEqualTo(1);
        assertThat(r.output).contains("ConnectException");
    }

    record Result(int exit, String output) {
    }

    static Result run(String... inImage) throws Exception {
        boolean rootUser = "root".equals(System.getProperty("user.name"));
        List<String> command = new ArrayList<>(List.of("unshare"));
        if (!rootUser) {
            command.add("--map-root-user");
        }
        command.addAll(List.of("--mount", "--pid", "--fork", "--mount-proc=" + root.resolve("proc"), "chroot"));
        if (rootUser) {
            command.add("--userspec=10001:10001");
        }
        command.add(root.toString());
        command.addAll(List.of(inImage));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // The image's environment, not the build's (no JAVA_TOOL_OPTIONS, JAVA_HOME, ...); /usr/sbin for chroot itself.
        pb.environment().clear();
        pb.environment().put("PATH", "/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().put("LANG", "C.UTF-8");
        pb.environment().put("JAVA_HOME", "/opt/java");
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.exitValue(), String.join(" ", command) + "\n" + out);
    }
}
