package io.parklake.warehouse.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where a PostgreSQL database is and how to log in. Connections opened here give up after a few
 * seconds when the server is unreachable, so bad configuration fails fast instead of hanging.
 */
public record DatabaseAddress(String url, String user, String password) {

  public static final int CONNECT_TIMEOUT_SECONDS = 5;

  public DatabaseAddress {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("database url is empty");
    }
  }

  public Connection open() throws SQLException {
    Properties props = jdbcProperties();
    return DriverManager.getConnection(url, props);
  }

  /** Properties for the PostgreSQL driver, also handed to Spark's JDBC source. */
  public Properties jdbcProperties() {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
    props.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
    props.setProperty("ApplicationName", "parklake");
    return props;
  }

  /** The URL without credentials, safe to log. */
  @Override
  public String toString() {
    return url + (user == null ? "" : " as " + user);
  }
}
