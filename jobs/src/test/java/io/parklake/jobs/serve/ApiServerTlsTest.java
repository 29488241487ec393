package io.parklake.jobs.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parklake.jobs.config.ServeSettings;
import io.parklake.jobs.config.ServeSettings.Token;
import io.parklake.jobs.config.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API speaks HTTPS, with the configured keystore's certificate, when {@code serve.tls.keystore}
 * is set. A real keystore made by the JDK's keytool and the JDK's HTTP client; the jobs behind the
 * API are a {@link StubOperations}, since only the HTTP layer is under test.
 */
class ApiServerTlsTest {
  private static final String PASSWORD = "k3ystore-pass";
  private static final String OPERATOR_TOKEN = "operator-secret-token";
  private static final String VIEWER_TOKEN = "viewer-secret-token";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir
  static Path dir;

  private static Path keystore;
  private static Certificate certificate;

  private ApiServer server;

  @BeforeAll
  static void make_a_self_signed_keystore_for_127_0_0_1() throws Exception {
    keystore = dir.resolve("serve.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "parklake", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(p.exitValue()).as("keytool exit; its output: %s", Files.readString(dir.resolve("keytool.log"))).isZero();
    certificate = load(keystore, PASSWORD).getCertificate("parklake");
    assertThat(certificate).isNotNull();
  }

  @AfterEach
  void stop_the_server() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void with_a_keystore_health_answers_over_https_with_that_keystores_certificate() throws Exception {
    server = ApiServer.start(settings(Optional.of(keystore), Optional.of(PASSWORD)), 0, new StubOperations());

    HttpResponse<String> health = trusting().send(get("https", "/health").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(health.body()).contains("\"status\" : \"UP\"");
    assertThat(health.uri().getScheme()).isEqualTo("https");
    assertThat(health.sslSession()).isPresent();
    assertThat(health.sslSession().get().getPeerCertificates()[0]).isEqualTo(certificate);
  }

  @Test
  void over_https_the_api_still_needs_a_configured_bearer_token() throws Exception {
    server = ApiServer.start(settings(Optional.of(keystore), Optional.of(PASSWORD)), 0, new StubOperations());
    HttpClient client = trusting();

    HttpResponse<String> anonymous = client.send(get("https", "/api/runs").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"parklake\"");
    assertThat(anonymous.body()).contains("\"status\" : 401").contains("\"title\" : \"Unauthorized\"");

    HttpResponse<String> wrong = client.send(get("https", "/api/jobs").header("Authorization", "Bearer not-a-token").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);

    for (String token : List.of(VIEWER_TOKEN, OPERATOR_TOKEN)) {
      HttpResponse<String> jobs = client.send(get("https", "/api/jobs").header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(jobs.statusCode()).as("GET /api/jobs with %s", token).isEqualTo(200);
      assertThat(jobs.body()).contains("\"jobs\" : [ \"hourly\", \"nightly\" ]");
    }
  }

  @Test
  void a_client_that_does_not_trust_the_self_signed_certificate_fails_the_handshake() {
    server = ApiServer.start(settings(Optional.of(keystore), Optional.of(PASSWORD)), 0, new StubOperations());
    HttpClient untrusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

    assertThatThrownBy(() -> untrusting.send(get("https", "/health").build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("PKIX path building failed");
  }

  @Test
  void with_a_keystore_plain_http_gets_no_answer() {
    server = ApiServer.start(settings(Optional.of(keystore), Optional.of(PASSWORD)), 0, new StubOperations());
    HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

    HttpResponse<String> answer;
    try {
      answer = plain.send(get("http", "/health").build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      // the usual outcome: the server reads the request as a bad TLS record and drops the connection
      assertThat(e).isInstanceOf(IOException.class);
      return;
    }
    assertThat(answer.statusCode()).as("plain HTTP to the HTTPS port; body %s", answer.body()).isNotEqualTo(200);
  }

  @Test
  void a_wrong_keystore_password_is_a_user_error_naming_serve_tls_keystore_and_leaves_the_port_free() throws Exception {
    int port = freePort();
    ServeSettings wrong = settings(Optional.of(keystore), Optional.of("not-the-password"));

    assertThatThrownBy(() -> server = ApiServer.start(wrong, port, new StubOperations()))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("serve.tls.keystore: cannot use keystore " + keystore + ": ")
        .hasMessageContaining("password")
        .extracting(e -> ((UserError) e).setting()).isEqualTo("serve.tls.keystore");
    assertThatCode(() -> ApiServer.checkPortFree(wrong, port)).as("the failed start released port %d", port)
        .doesNotThrowAnyException();
  }

  @Test
  void a_keystore_that_does_not_exist_is_a_user_error_naming_serve_tls_keystore() {
    Path missing = dir.resolve("no-such-keystore.p12");
    ServeSettings absent = settings(Optional.of(missing), Optional.of(PASSWORD));

    assertThatThrownBy(() -> server = ApiServer.start(absent, 0, new StubOperations()))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("serve.tls.keystore: cannot use keystore " + missing + ": ")
        .extracting(e -> ((UserError) e).setting()).isEqualTo("serve.tls.keystore");
  }

  private static ServeSettings settings(Optional<Path> keystore, Optional<String> password) {
    ServeSettings d = ServeSettings.defaults();
    List<Token> tokens = List.of(
        Token.parse("airflow:operator:s4lt:" + Token.hash("s4lt", OPERATOR_TOKEN)),
        Token.parse("grafana:viewer:pepper:" + Token.hash("pepper", VIEWER_TOKEN)));
    return new ServeSettings("127.0.0.1", 0, keystore, password, tokens, d.zone(), d.schedules(), d.overlap(), d.overlapWait(),
        d.historyMaxAge(), d.clusterCheckin());
  }

  private HttpRequest.Builder get(String scheme, String path) {
    return HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + server.port() + path)).timeout(TIMEOUT).GET();
  }

  /** A client whose only trusted certificate is the test keystore's: any other certificate fails the handshake. */
  private static HttpClient trusting() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("parklake", certificate);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).connectTimeout(TIMEOUT).build();
  }

  private static KeyStore load(Path file, String password) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password.toCharArray());
      return ks;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }
}
