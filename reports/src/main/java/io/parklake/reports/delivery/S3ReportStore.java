package io.parklake.reports.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Delivers report files to an S3 bucket (AWS, MinIO, the embedded s3proxy). Each object carries its
 * SHA-256 in metadata ({@code sha256}) so a reader can verify what it downloaded.
 */
public final class S3ReportStore implements AutoCloseable {
  public static final String SHA256_METADATA = "sha256";

  private final S3Client s3;
  private final String bucket;

  public S3ReportStore(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /**
   * A path-style client that sends checksums only when an operation requires them (s3proxy and
   * several S3-compatible servers reject the SDK's default flexible checksums).
   */
  public static S3Client client(String endpoint, String accessKey, String secretKey, String region) {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
  }

  public String bucket() {
    return bucket;
  }

  public void ensureBucket() {
    try {
      s3.headBucket(HeadBucketRequest.builder().bucket(bucket).build());
    } catch (NoSuchBucketException e) {
      s3.createBucket(b -> b.bucket(bucket));
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  /** Uploads {@code file} to {@code key}; returns its SHA-256 (hex). */
  public String upload(Path file, String key) throws IOException {
    String sha = sha256(file);
    s3.putObject(
        PutObjectRequest.builder().bucket(bucket).key(key).metadata(Map.of(SHA256_METADATA, sha)).build(),
        RequestBody.fromFile(file));
    return sha;
  }

  /** Uploads each file to {@code <prefix>/<file name>}, in order. */
  public void uploadAll(java.util.List<Path> files, String prefix) throws IOException {
    for (Path f : files) {
      upload(f, prefix + "/" + f.getFileName());
    }
  }

  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        digest.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
