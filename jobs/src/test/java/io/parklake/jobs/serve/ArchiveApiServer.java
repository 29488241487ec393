package io.parklake.jobs.serve;

import io.parklake.jobs.config.ServeSettings;
import io.parklake.jobs.config.ServeSettings.Token;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import io.parklake.pipelines.archive.AccessLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * serve's HTTP API with its archive endpoints alone, for tests outside this package that hold a real
 * archive (ArchiveIT): the catalogue and access log of {@code rt}, archive tasks run as real child
 * {@code parklake archive …} processes with {@code childEnv}, one compliance token.
 */
public final class ArchiveApiServer implements AutoCloseable {
  private final ApiServer server;

  private ArchiveApiServer(ApiServer server) {
    this.server = server;
  }

  public static ArchiveApiServer start(ParkLakeRuntime rt, Map<String, String> childEnv, String tokenName, String token) {
    ServeSettings d = ServeSettings.defaults();
    ServeSettings serve = new ServeSettings("127.0.0.1", 0, Optional.empty(), Optional.empty(),
        List.of(Token.parse(tokenName + ":compliance:salt:" + Token.hash("salt", token))), d.zone(), d.schedules(), d.overlap(),
        d.overlapWait(), d.historyMaxAge(), d.clusterCheckin());
    Path tasks = rt.settings().home().resolve("archive-tasks");
    ArchiveApi archive = new ArchiveApi(rt.archiveCatalog(), new AccessLog(rt.meta()), rt.settings().archive(),
        Optional.of(new ArchiveTasks(childEnv, List.of(), tasks)));
    return new ArchiveApiServer(ApiServer.start(serve, 0, new StubOperations(List.of(), Optional.of(archive))));
  }

  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
