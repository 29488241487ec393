package io.parklake.reports.delivery;

import java.io.IOException;
import java.nio.file.Path;
import io.parklake.warehouse.storage.S3Clients;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Delivers report files to an S3 bucket (AWS, MinIO, the embedded s3proxy). Each object carries its
 * SHA-256 in metadata ({@code sha256}) so a reader can verify what it downloaded.
 */
public final class S3ReportStore implements AutoCloseable {
  public static final String SHA256_METADATA = S3Clients.SHA256_METADATA;

  private final S3Client s3;
  private final String bucket;

  public S3ReportStore(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  public String bucket() {
    return bucket;
  }

  public void ensureBucket() {
    S3Clients.ensureBucket(s3, bucket);
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
    return S3Clients.sha256(file);
  }

  @Override
  public void close() {
    s3.close();
  }
}
