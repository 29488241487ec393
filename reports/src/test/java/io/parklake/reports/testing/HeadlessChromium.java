package io.parklake.reports.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real headless Chromium driven over the DevTools protocol (a WebSocket and JSON, no extra
 * library): loads a file, waits for the load event (which waits for images), and reports console
 * errors, uncaught exceptions, failed resource loads and images that did not decode, plus a
 * screenshot. The browser process is always killed on {@link #close()}.
 */
public final class HeadlessChromium implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://([^/]+)/");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one page load showed. */
  public record PageCheck(String url, List<String> errors, List<String> brokenImages, int images, byte[] screenshot) {}

  private final Process process;
  private final Path profile;
  private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<JsonNode>> awaitedEvents = new ConcurrentHashMap<>();
  private final List<JsonNode> events = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger ids = new AtomicInteger();
  private WebSocket socket;

  private HeadlessChromium(Process process, Path profile) {
    this.process = process;
    this.profile = profile;
  }

  public static HeadlessChromium start() throws Exception {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " not found: the build installs Debian's chromium before the ITs "
          + "(reports/src/test/chromium/ensure-chromium.sh, in pre-integration-test); run it, or "
          + "'apt-get update && apt-get install -y --no-install-recommends chromium'");
    }
    Path profile = Files.createTempDirectory("parklake-chromium-");
    Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--window-size=1280,1600",
        "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
        .redirectErrorStream(true).start();
    HeadlessChromium browser = new HeadlessChromium(process, profile);
    try {
      browser.connect();
      return browser;
    } catch (Exception e) {
      browser.close();
      throw e;
    }
  }

  private void connect() throws Exception {
    // The port is announced on stderr ("DevTools listening on ws://127.0.0.1:PORT/...") and also
    // written to <profile>/DevToolsActivePort; reading the stream waits for it without polling.
    CompletableFuture<String> hostPort = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          log.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            hostPort.complete(m.group(1));
          }
        }
      } catch (IOException e) {
        // The process was killed; nothing more to read.
      }
      hostPort.completeExceptionally(new IllegalStateException("chromium exited before DevTools listened:\n" + output()));
    }, "chromium-output");
    reader.setDaemon(true);
    reader.start();
    String address = hostPort.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/json/list"))
        .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body());
    String pageSocket = null;
    for (JsonNode t : targets) {
      if ("page".equals(t.path("type").asText())) {
        pageSocket = t.get("webSocketDebuggerUrl").asText();
        break;
      }
    }
    if (pageSocket == null) {
      throw new IllegalStateException("chromium has no page target: " + targets);
    }
    socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(pageSocket), new Listener())
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    call("Runtime.enable", null);
    call("Log.enable", null);
    call("Page.enable", null);
  }

  /** Loads the file and checks it; errors and broken images are returned, not thrown, so tests can assert them. */
  public PageCheck load(Path file) throws Exception {
    events.clear();
    CompletableFuture<JsonNode> loaded = new CompletableFuture<>();
    awaitedEvents.put("Page.loadEventFired", loaded);
    String url = file.toUri().toString();
    ObjectNode navigate = JSON.createObjectNode().put("url", url);
    JsonNode result = call("Page.navigate", navigate);
    if (result.hasNonNull("errorText")) {
      throw new IllegalStateException("could not open " + url + ": " + result.get("errorText").asText());
    }
    loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    JsonNode broken = evaluate(
        "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)");
    List<String> brokenImages = new ArrayList<>();
    broken.forEach(n -> brokenImages.add(n.asText()));
    int images = evaluate("document.images.length").asInt();
    byte[] png = Base64.getDecoder().decode(
        call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")).get("data").asText());
    return new PageCheck(url, errors(), brokenImages, images, png);
  }

  /** Runs a JavaScript expression in the page and returns its value as JSON. */
  public JsonNode evaluate(String expression) throws Exception {
    JsonNode result = call("Runtime.evaluate",
        JSON.createObjectNode().put("expression", expression).put("returnByValue", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("'" + expression + "' threw " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  private List<String> errors() {
    List<String> errors = new ArrayList<>();
    synchronized (events) {
      for (JsonNode e : events) {
        JsonNode p = e.path("params");
        switch (e.path("method").asText()) {
          case "Runtime.exceptionThrown" -> errors.add("exception: " + p.path("exceptionDetails").path("exception")
              .path("description").asText(p.path("exceptionDetails").path("text").asText()));
          case "Runtime.consoleAPICalled" -> {
            if ("error".equals(p.path("type").asText())) {
              StringBuilder s = new StringBuilder("console.error:");
              p.path("args").forEach(a -> s.append(' ').append(a.path("value").asText(a.path("description").asText())));
              errors.add(s.toString());
            }
          }
          case "Log.entryAdded" -> {
            if ("error".equals(p.path("entry").path("level").asText())) {
              errors.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
            }
          }
          default -> { }
        }
      }
    }
    return errors;
  }

  private JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    if (params != null) {
      message.set("params", params);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket.sendText(JSON.writeValueAsString(message), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    JsonNode response = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (response.has("error")) {
      throw new IllegalStateException(method + " failed: " + response.get("error"));
    }
    return response.path("result");
  }

  String output() {
    synchronized (log) {
      return String.join("\n", log);
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder frame = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      frame.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(frame.toString());
          if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
            if (reply != null) {
              reply.complete(message);
            }
          } else {
            events.add(message);
            CompletableFuture<JsonNode> waiter = awaitedEvents.remove(message.path("method").asText());
            if (waiter != null) {
              waiter.complete(message);
            }
          }
        } catch (IOException e) {
          pending.values().forEach(f -> f.completeExceptionally(e));
        }
        frame.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      pending.values().forEach(f -> f.completeExceptionally(error));
    }
  }

  @Override
  public void close() throws Exception {
    try {
      if (socket != null) {
        socket.abort();
      }
    } finally {
      // Our own children only: the renderer and GPU helpers, then the browser itself.
      List<ProcessHandle> helpers = process.descendants().toList();
      helpers.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      for (ProcessHandle helper : helpers) {
        helper.onExit().get(30, TimeUnit.SECONDS);
      }
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
