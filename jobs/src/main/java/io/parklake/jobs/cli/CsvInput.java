package io.parklake.jobs.cli;

import io.parklake.jobs.config.UserError;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An input CSV file given to a command (RFC 4180: a header row, fields quoted with {@code "} when
 * they hold commas, quotes or line breaks, CRLF or LF). Columns are found by name in the header, in
 * any order and case; every problem is a {@link UserError} naming the option, the file and the line.
 */
final class CsvInput implements Closeable {
  private final String option;
  private final Path file;
  private final BufferedReader in;
  private final int[] columns;
  private int line;
  private int recordLine;

  /** One data record: the wanted columns' values, in the order they were asked for. */
  record Record(int line, String[] values) {
    String get(int column) {
      return values[column];
    }
  }

  private CsvInput(String option, Path file, BufferedReader in, int[] columns) {
    this.option = option;
    this.file = file;
    this.in = in;
    this.columns = columns;
  }

  /** Opens {@code file} and checks that its header names every column in {@code wanted}. */
  static CsvInput open(String option, Path file, String... wanted) {
    BufferedReader in;
    try {
      in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UserError(option, file + ": no such file");
    } catch (IOException e) {
      throw new UserError(option, file + ": cannot read (" + e.getMessage() + ")");
    }
    CsvInput csv = new CsvInput(option, file, in, new int[wanted.length]);
    List<String> header = csv.readFields();
    if (header == null) {
      csv.close();
      throw new UserError(option, file + ": empty file (expected a header row " + String.join(",", wanted) + ")");
    }
    // A byte-order mark (spreadsheets write one) is not part of the first column's name.
    header.set(0, header.get(0).replace("\uFEFF", ""));
    List<String> names = header.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
    for (int i = 0; i < wanted.length; i++) {
      csv.columns[i] = names.indexOf(wanted[i]);
      if (csv.columns[i] < 0) {
        csv.close();
        throw new UserError(option, file + ": no column '" + wanted[i] + "' in the header (" + String.join(",", header) + ")");
      }
    }
    return csv;
  }

  /** The next record, or null at the end of the file. Blank lines are skipped. */
  Record next() {
    while (true) {
      List<String> fields = readFields();
      if (fields == null) {
        return null;
      }
      if (fields.size() == 1 && fields.get(0).isBlank()) {
        continue;
      }
      String[] values = new String[columns.length];
      for (int i = 0; i < columns.length; i++) {
        if (columns[i] >= fields.size()) {
          throw error(recordLine, "has " + fields.size() + " fields, the header more");
        }
        values[i] = fields.get(columns[i]).strip();
      }
      return new Record(recordLine, values);
    }
  }

  /** A problem with the record at {@code line}, for the person who has to fix the file. */
  UserError error(int line, String message) {
    return new UserError(option, file + ":" + line + ": " + message);
  }

  /** One record's fields, reading on past line breaks inside quotes; null at the end of the file. */
  private List<String> readFields() {
    try {
      String text = in.readLine();
      if (text == null) {
        return null;
      }
      line++;
      recordLine = line;
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      int i = 0;
      while (true) {
        if (i == text.length()) {
          if (!quoted) {
            break;
          }
          String more = in.readLine();
          if (more == null) {
            throw error(recordLine, "a quoted field is not closed");
          }
          line++;
          field.append('\n');
          text = more;
          i = 0;
          continue;
        }
        char c = text.charAt(i++);
        if (quoted) {
          if (c == '"' && i < text.length() && text.charAt(i) == '"') {
            field.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            field.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          fields.add(field.toString());
          field.setLength(0);
        } else {
          field.append(c);
        }
      }
      fields.add(field.toString());
      return fields;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
