package io.parklake.jobs.serve;

import io.parklake.jobs.cli.CliEnvironment;
import io.parklake.jobs.config.ServeSettings.Role;
import io.parklake.jobs.config.ServeSettings.Token;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parklake token}: makes a new API token and the line that configures it. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Make an API bearer token for serve.",
      "Prints the token once, and the configuration entry that stores only its salted SHA-256 "
          + "(name:role:salt:sha256). Add the entry to PARKLAKE_API_TOKENS (comma-separated) or serve.tokens; give "
          + "the token to the caller. ParkLake never stores or logs the token itself."
    })
public class TokenCommand implements Callable<Integer> {
  private final CliEnvironment cli;

  @Option(names = "--name", required = true, description = "a name for the token, shown in serve's access log")
  String name;

  @Option(names = "--role", required = true, description = "viewer (read), operator (trigger, restart, stop) or compliance")
  String role;

  public TokenCommand(CliEnvironment cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    Role r;
    try {
      r = Role.parse(role);
    } catch (IllegalArgumentException e) {
      throw new io.parklake.jobs.config.UserError("--role", "'" + role + "' is not viewer, operator or compliance");
    }
    if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new io.parklake.jobs.config.UserError("--name", "use letters, digits, '.', '_' or '-' (at most 64)");
    }
    SecureRandom random = new SecureRandom();
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    byte[] salt = new byte[12];
    random.nextBytes(salt);
    String token = "plk_" + HexFormat.of().formatHex(secret);
    String saltHex = HexFormat.of().formatHex(salt);
    cli.out().println("token:  " + token);
    cli.out().println("config: " + name + ":" + r.name().toLowerCase(Locale.ROOT) + ":" + saltHex + ":" + Token.hash(saltHex, token));
    return 0;
  }
}
