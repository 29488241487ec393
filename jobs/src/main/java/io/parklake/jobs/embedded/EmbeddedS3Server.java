package io.parklake.jobs.embedded;

import io.parklake.jobs.config.ParkLakeSettings.S3Settings;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3-compatible server (s3proxy) storing objects under {@code PARKLAKE_HOME/s3/<bucket>/<key>},
 * on a free loopback port, with fixed local credentials.
 */
public final class EmbeddedS3Server implements AutoCloseable {
  private static final String ACCESS_KEY = "parklake";
  private static final String SECRET_KEY = "parklake-local-secret";

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final Path root;

  private EmbeddedS3Server(S3Proxy proxy, BlobStoreContext context, Path root) {
    this.proxy = proxy;
    this.context = context;
    this.root = root;
  }

  public static EmbeddedS3Server start(Path home) throws Exception {
    Path root = Files.createDirectories(home.resolve("s3"));
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", root.toString());
    BlobStoreContext context = ContextBuilder.newBuilder("filesystem")
        .credentials(ACCESS_KEY, SECRET_KEY)
        .overrides(props)
        .build(BlobStoreContext.class);
    BlobStore store = context.getBlobStore();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(store)
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start(); // Jetty's start() returns once the connector listens
    return new EmbeddedS3Server(proxy, context, root);
  }

  public S3Settings settings() {
    return new S3Settings("http://127.0.0.1:" + proxy.getPort(), ACCESS_KEY, SECRET_KEY, "us-east-1");
  }

  /** The folder holding the buckets, one sub-folder each. */
  public Path root() {
    return root;
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
