package io.parklake.pipelines.archive;

import io.parklake.warehouse.storage.S3Clients;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * The archive bucket: objects written once with a storage class and, where the policy sets one, an
 * Object Lock retention in compliance mode (no one, root included, can delete or overwrite them
 * before it ends); read back by hash; restored first when their class keeps them offline (Glacier).
 */
public final class ArchiveBucket implements AutoCloseable {
  private final S3Client s3;
  private final String bucket;

  public ArchiveBucket(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  public String name() {
    return bucket;
  }

  public void ensureExists() {
    S3Clients.ensureBucket(s3, bucket);
  }

  /** Uploads {@code file} to {@code key}; returns its SHA-256, also stored in the object's metadata. */
  public String put(Path file, String key, String storageClass, Optional<Instant> retainUntil) throws IOException {
    String sha = S3Clients.sha256(file);
    PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(bucket).key(key)
        .metadata(Map.of(S3Clients.SHA256_METADATA, sha)).storageClass(storageClass);
    retainUntil.ifPresent(t -> req.objectLockMode(ObjectLockMode.COMPLIANCE).objectLockRetainUntilDate(t));
    s3.putObject(req.build(), RequestBody.fromFile(file));
    return sha;
  }

  /** Thrown when an object's storage class keeps it offline: a restore was requested (or is under way). */
  public static final class RestorePending extends IOException {
    public RestorePending(String message) {
      super(message);
    }
  }

  /**
   * Downloads {@code key} to {@code target} and returns its SHA-256. An object held offline by its
   * storage class gets a restore request at {@code tier} and {@link RestorePending}; a missing one a
   * {@link java.io.FileNotFoundException} naming it.
   */
  public String get(String key, Path target, Tier tier) throws IOException {
    Files.createDirectories(target.getParent());
    try (InputStream in = s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build())) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchKeyException e) {
      throw new java.io.FileNotFoundException("s3://" + bucket + "/" + key + " does not exist");
    } catch (S3Exception e) {
      if ("InvalidObjectState".equals(e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode())) {
        restore(key, tier);
        throw new RestorePending("s3://" + bucket + "/" + key + " is in an offline storage class: restore requested ("
            + tier + " tier); retry when it has been restored");
      }
      if (e.statusCode() == 404) {
        throw new java.io.FileNotFoundException("s3://" + bucket + "/" + key + " does not exist");
      }
      throw e;
    }
    return S3Clients.sha256(target);
  }

  /** Metadata of {@code key}, empty when it does not exist. */
  public Optional<HeadObjectResponse> head(String key) {
    try {
      return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private void restore(String key, Tier tier) {
    try {
      s3.restoreObject(b -> b.bucket(bucket).key(key).restoreRequest(r -> r.days(7).glacierJobParameters(g -> g.tier(tier))));
    } catch (S3Exception e) {
      // 409 RestoreAlreadyInProgress: the earlier request stands.
      if (e.statusCode() != 409) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
