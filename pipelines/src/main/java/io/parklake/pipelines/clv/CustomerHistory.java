package io.parklake.pipelines.clv;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One customer's purchase history in the form the BG/NBD and Gamma-Gamma models take, in weeks:
 * {@code frequency} x = repeat purchase days, {@code recency} t_x = first to last purchase day,
 * {@code age} T = first purchase to the end of the calibration period, and {@code monetary} = the
 * mean value of the repeat purchase days (purchases on one day are one purchase of their sum).
 */
public record CustomerHistory(String customerId, int frequency, double recency, double age, BigDecimal monetary) {

  /** A purchase: who, which day, how much. */
  public record Transaction(String customerId, LocalDate date, BigDecimal amount) {}

  /** Summarises transactions up to and including {@code calibrationEnd}; later ones are ignored. */
  public static List<CustomerHistory> summarise(List<Transaction> transactions, LocalDate calibrationEnd) {
    Map<String, TreeMap<LocalDate, BigDecimal>> byCustomer = new TreeMap<>();
    for (Transaction t : transactions) {
      if (!t.date().isAfter(calibrationEnd)) {
        byCustomer.computeIfAbsent(t.customerId(), k -> new TreeMap<>()).merge(t.date(), t.amount(), BigDecimal::add);
      }
    }
    List<CustomerHistory> out = new ArrayList<>(byCustomer.size());
    byCustomer.forEach((id, days) -> {
      LocalDate first = days.firstKey();
      LocalDate last = days.lastKey();
      int repeats = days.size() - 1;
      BigDecimal repeatTotal = BigDecimal.ZERO;
      for (Map.Entry<LocalDate, BigDecimal> d : days.tailMap(first, false).entrySet()) {
        repeatTotal = repeatTotal.add(d.getValue());
      }
      BigDecimal monetary = repeats == 0 ? BigDecimal.ZERO
          : repeatTotal.divide(BigDecimal.valueOf(repeats), 6, RoundingMode.HALF_EVEN);
      out.add(new CustomerHistory(id, repeats, ChronoUnit.DAYS.between(first, last) / 7.0,
          ChronoUnit.DAYS.between(first, calibrationEnd) / 7.0, monetary));
    });
    return out;
  }
}
