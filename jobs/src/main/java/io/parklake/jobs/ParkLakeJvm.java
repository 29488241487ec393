package io.parklake.jobs;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of another {@code parklake} JVM like this one: the same java binary, JVM flags
 * (Spark's add-opens among them, whether they came from the launcher or from failsafe's argLine),
 * classpath and main class. serve starts its jobs this way; tests start real processes this way.
 */
public final class ParkLakeJvm {
  private ParkLakeJvm() {}

  /** {@code java <this JVM's flags> <extraJvmArgs> -cp <this classpath> ParkLakeApplication <args>}. */
  public static List<String> command(List<String> extraJvmArgs, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A debugger or agent attached to this JVM is not the child's business.
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-agentlib:jdwp") && !a.startsWith("-Xrunjdwp") && !a.startsWith("-javaagent"))
        .forEach(command::add);
    command.addAll(extraJvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ParkLakeApplication.class.getName());
    command.addAll(args);
    return command;
  }
}
