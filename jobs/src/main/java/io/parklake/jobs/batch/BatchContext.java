package io.parklake.jobs.batch;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.parklake.jobs.runtime.ParkLakeRuntime;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.batch.BatchAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/**
 * The Spring application that holds the Batch jobs. Its job repository lives in schema
 * {@code parklake} of the metadata database (tables {@code parklake.batch_*}, created by
 * {@link io.parklake.warehouse.meta.MetadataSchema}); the jobs are the {@code @Configuration}
 * classes in this package.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({BatchAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class})
@ComponentScan(basePackageClasses = BatchContext.class)
public class BatchContext {

  /** Starts the context around an open runtime; close the returned context when done. */
  public static ConfigurableApplicationContext start(ParkLakeRuntime runtime) {
    return new SpringApplicationBuilder(BatchContext.class)
        .web(WebApplicationType.NONE)
        .bannerMode(org.springframework.boot.Banner.Mode.OFF)
        .logStartupInfo(false)
        .properties(Map.of(
            "spring.batch.jdbc.table-prefix", "parklake.BATCH_",
            "spring.batch.jdbc.initialize-schema", "never",
            "spring.batch.job.enabled", "false",
            "spring.main.register-shutdown-hook", "false"))
        .initializers(ctx -> ctx.getBeanFactory().registerSingleton("parkLakeRuntime", runtime))
        .run();
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(ParkLakeRuntime runtime) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(runtime.meta().url());
    config.setDataSourceProperties(runtime.meta().jdbcProperties());
    config.setMaximumPoolSize(4);
    config.setPoolName("parklake-meta");
    return new HikariDataSource(config);
  }
}
