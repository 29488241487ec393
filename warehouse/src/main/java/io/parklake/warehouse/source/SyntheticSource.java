package io.parklake.warehouse.source;

import io.parklake.warehouse.db.DatabaseAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * Writes coherent synthetic operator data into a source database with {@code COPY}: facilities in
 * several cities and time zones with zones and spots, users with vehicles, bookings with daily and
 * weekly seasonality and a realistic status mix, priced by each facility's pricing rule, payments
 * with failures and refunds, subscriptions, violations, camera entry/exit events (with duplicate
 * detections) and audit logs.
 *
 * <p>The same {@link SeedOptions} always produce the same rows: every random choice comes from one
 * {@link SplittableRandom} stream consumed in a fixed order, and money is whole cents ({@code
 * long}), never floating point.
 */
public final class SyntheticSource {

  /** City, IANA zone and currency of the facilities, round-robin; DST and non-DST zones mixed. */
  private static final String[][] CITIES = {
    {"London", "Europe/London", "GBP", "51.5072", "-0.1276"},
    {"New York", "America/New_York", "USD", "40.7128", "-74.0060"},
    {"Berlin", "Europe/Berlin", "EUR", "52.5200", "13.4050"},
    {"Mumbai", "Asia/Kolkata", "INR", "19.0760", "72.8777"},
    {"Chicago", "America/Chicago", "USD", "41.8781", "-87.6298"},
    {"Paris", "Europe/Paris", "EUR", "48.8566", "2.3522"},
    {"Sydney", "Australia/Sydney", "AUD", "-33.8688", "151.2093"},
    {"Manchester", "Europe/London", "GBP", "53.4808", "-2.2426"},
  };

  /** Relative arrivals per local hour 0..23: morning and evening peaks, quiet nights. */
  private static final double[] HOURLY_ARRIVALS = {
    0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 3.5, 5.5, 4.5, 3.5, 3.5,
    4.0, 3.8, 3.2, 3.2, 3.8, 4.8, 4.2, 3.0, 2.2, 1.5, 0.8, 0.4
  };

  private static final String[] PROVIDERS = {"CARD", "CARD", "CARD", "WALLET", "STRIPE", "CASH"};
  private static final String[] PROVIDERS_INR = {"UPI", "UPI", "CARD", "WALLET", "CASH"};
  private static final String[] VEHICLE_TYPES = {"CAR", "CAR", "CAR", "SUV", "MOTORCYCLE", "VAN", "EV"};
  private static final String[] SPOT_SIZES = {"COMPACT", "STANDARD", "STANDARD", "LARGE"};

  private final SeedOptions options;
  private final SplittableRandom random;
  private final Instant asOf;
  private long eventId;
  private long ticket;

  private final List<Facility> facilities = new ArrayList<>();
  private final List<User> users = new ArrayList<>();

  public SyntheticSource(SeedOptions options) {
    this.options = options;
    this.random = new SplittableRandom(options.seed());
    // Nothing happens after this instant, midnight UTC after the last day: seeding the days up to
    // yesterday never writes rows from the future. Local days west of UTC end with reservations
    // still ahead (CONFIRMED), as they would at that moment.
    this.asOf = options.endExclusive().atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The instant the seeded world stands at: no row is created or updated after it. */
  public Instant asOf() {
    return asOf;
  }

  /**
   * Writes all tables. The schema must exist ({@link SourceSchema#migrate}); the tables should be
   * empty, since seeding twice with the same options would collide on primary keys.
   */
  public SeedSummary writeTo(DatabaseAddress db, LongConsumer bookingProgress) throws SQLException {
    Map<String, CopyStream> streams = new LinkedHashMap<>();
    try {
      for (Table t : Table.values()) {
        Connection c = db.open();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          // Loading is ours alone; durability of each row is not needed until the commit.
          s.execute("SET synchronous_commit = off");
        }
        streams.put(t.name(), new CopyStream(c, t.name().toLowerCase(), t.columns));
      }
      Streams out = new Streams(streams);
      buildDimensions(out);
      buildSubscriptions(out);
      buildBookings(out, bookingProgress);
      for (CopyStream s : streams.values()) {
        s.close();
      }
      Map<String, Long> counts = new LinkedHashMap<>();
      streams.forEach((k, v) -> counts.put(k.toLowerCase(), v.rows()));
      try (Connection c = db.open();
          Statement s = c.createStatement()) {
        s.execute("ANALYZE");
      }
      return new SeedSummary(counts, asOf);
    } catch (SQLException | RuntimeException e) {
      streams.values().forEach(CopyStream::abort);
      throw e;
    }
  }

  // ---------------------------------------------------------------- dimensions

  private void buildDimensions(Streams out) throws SQLException {
    long perDay = Math.max(1, options.bookings() / options.days());
    int facilityCount = (int) Math.max(4, Math.min(500, Math.round(perDay / 60.0)));
    Instant dimCreated = options.start().atStartOfDay(ZoneOffset.UTC).minusDays(400).toInstant();

    UUID owner = uuid();
    out.users.row(owner, "owner@parklake.example", "Operator Owner", "+440000000000", "OWNER", true, false, dimCreated, dimCreated);

    double totalWeight = 0;
    for (int i = 0; i < facilityCount; i++) {
      String[] city = CITIES[i % CITIES.length];
      Facility f = new Facility();
      f.id = uuid();
      f.index = i;
      f.name = city[0] + " " + facilityName(i / CITIES.length);
      f.zone = ZoneId.of(city[1]);
      f.currency = city[2];
      f.weight = 0.5 + random.nextDouble() * 1.5;
      totalWeight += f.weight;
      // Hourly rate in cents; rupee prices are larger numbers for the same parking.
      long unit = "INR".equals(f.currency) ? 2000 : 50;
      f.hourlyRateCents = unit * (3 + random.nextInt(6));
      f.dailyCapCents = f.hourlyRateCents * (6 + random.nextInt(4));
      f.freeMinutes = random.nextInt(3) == 0 ? 15 : 0;
      facilities.add(f);
    }
    for (Facility f : facilities) {
      f.weight /= totalWeight;
      // Capacity sized to expected demand: ~2.5 h average stay, peak hour ~8% of the day's arrivals.
      double expectedPerDay = perDay * f.weight;
      int spots = (int) Math.max(20, Math.round(expectedPerDay * 0.45 * (0.8 + random.nextDouble() * 0.4)));
      int zoneCount = spots > 120 ? 3 : 2;
      int spotsLeft = spots;
      for (int z = 0; z < zoneCount; z++) {
        int zoneSpots = z == zoneCount - 1 ? spotsLeft : spots / zoneCount;
        spotsLeft -= zoneSpots;
        Zone zone = new Zone();
        zone.id = uuid();
        zone.code = String.valueOf((char) ('A' + z));
        zone.camera = "cam-" + f.index + "-" + zone.code;
        out.zones.row(zone.id, f.id, "Level " + zone.code, zone.code, zoneSpots, dimCreated, dimCreated);
        for (int s = 0; s < zoneSpots; s++) {
          Spot spot = new Spot();
          spot.id = uuid();
          spot.zone = zone;
          out.parkingSpots.row(spot.id, zone.id, zone.code + "-" + (s + 1), SPOT_SIZES[random.nextInt(SPOT_SIZES.length)],
              random.nextInt(10) == 0, random.nextInt(20) == 0, true, dimCreated, dimCreated);
          f.spots.add(spot);
        }
      }
      f.freeAt = new Instant[f.spots.size()];
      Arrays.fill(f.freeAt, Instant.MIN);
      String[] city = CITIES[f.index % CITIES.length];
      out.facilities.row(f.id, owner, f.name, city[0], f.zone.getId(), f.currency, city[3], city[4],
          f.spots.size(), true, dimCreated, dimCreated);
      out.pricingRules.row(uuid(), f.id, "HOURLY",
          "{\"hourly_rate\": \"" + money(f.hourlyRateCents) + "\", \"daily_cap\": \"" + money(f.dailyCapCents) + "\"}",
          10, f.freeMinutes, dimCreated, dimCreated);
    }

    int userCount = (int) Math.max(50, options.bookings() / 8);
    for (int i = 0; i < userCount; i++) {
      User u = new User();
      u.id = uuid();
      u.home = pickFacility();
      Instant created = dimCreated.plusSeconds(random.nextLong(400L * 86400));
      out.users.row(u.id, "user" + i + "@mail.example", "User " + i, "+1555" + String.format("%07d", i % 10_000_000),
          "CUSTOMER", random.nextInt(10) < 8, false, created, created);
      int vehicles = random.nextInt(4) == 0 ? 2 : 1;
      for (int v = 0; v < vehicles; v++) {
        Vehicle vehicle = new Vehicle();
        vehicle.id = uuid();
        vehicle.plate = plate();
        vehicle.type = VEHICLE_TYPES[random.nextInt(VEHICLE_TYPES.length)];
        u.vehicles.add(vehicle);
        out.vehicles.row(vehicle.id, u.id, vehicle.plate, vehicle.type, true, created, created);
      }
      users.add(u);
    }
  }

  private void buildSubscriptions(Streams out) throws SQLException {
    Instant created = options.start().atStartOfDay(ZoneOffset.UTC).minusDays(400).toInstant();
    for (Facility f : facilities) {
      f.monthlyPlan = uuid();
      f.monthlyPriceCents = f.dailyCapCents * 12;
      out.subscriptions.row(f.monthlyPlan, f.id, "Monthly unlimited", money(f.monthlyPriceCents), 30, null, created, created);
      out.subscriptions.row(uuid(), f.id, "10-entry card", money(f.hourlyRateCents * 25), 90, 10, created, created);
    }
    long window = Duration.between(options.start().atStartOfDay(ZoneOffset.UTC).toInstant(), asOf).getSeconds();
    for (User u : users) {
      if (random.nextInt(25) != 0) {
        continue;
      }
      Facility f = u.home;
      Instant activated = options.start().atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(random.nextLong(Math.max(1, window - 3600)));
      UUID us = uuid();
      out.userSubscriptions.row(us, u.id, f.monthlyPlan, activated, activated.plus(Duration.ofDays(30)), null, activated, activated);
      UUID pay = uuid();
      out.payments.row(pay, u.id, f.id, null, null, us, "SUBSCRIPTION", money(f.monthlyPriceCents), f.currency,
          provider(f), "SUCCEEDED", "txn_" + pay.toString().substring(0, 18), activated, activated, activated);
      audit(out, u.id, "PAYMENT_SUCCEEDED", "payment", pay, activated);
    }
  }

  // ---------------------------------------------------------------- bookings and what follows them

  private void buildBookings(Streams out, LongConsumer progress) throws SQLException {
    long[] perDay = bookingsPerDay();
    long written = 0;
    for (int d = 0; d < options.days(); d++) {
      LocalDate day = options.start().plusDays(d);
      List<Arrival> arrivals = new ArrayList<>((int) perDay[d]);
      for (long i = 0; i < perDay[d]; i++) {
        User u = users.get((int) (users.size() * Math.pow(random.nextDouble(), 2.2)));
        Facility f = random.nextInt(10) < 7 ? u.home : pickFacility();
        LocalTime t = LocalTime.of(pickHour(), random.nextInt(60), random.nextInt(60));
        arrivals.add(new Arrival(u, f, day.atTime(t).atZone(f.zone).toInstant()));
      }
      arrivals.sort(Comparator.comparing(Arrival::entry));
      for (Arrival a : arrivals) {
        booking(out, a);
      }
      written += arrivals.size();
      if (progress != null) {
        progress.accept(written);
      }
    }
  }

  private long[] bookingsPerDay() {
    double[] weights = new double[options.days()];
    double total = 0;
    for (int d = 0; d < options.days(); d++) {
      DayOfWeek dow = options.start().plusDays(d).getDayOfWeek();
      double w = switch (dow) {
        case SATURDAY -> 0.85;
        case SUNDAY -> 0.6;
        case FRIDAY -> 1.15;
        default -> 1.0;
      };
      w *= 1.0 + 0.1 * d / Math.max(1, options.days()); // gentle growth
      weights[d] = w;
      total += w;
    }
    long[] counts = new long[options.days()];
    long assigned = 0;
    for (int d = 0; d < options.days(); d++) {
      counts[d] = (long) Math.floor(options.bookings() * weights[d] / total);
      assigned += counts[d];
    }
    for (int d = 0; assigned < options.bookings(); d = (d + 1) % options.days()) {
      counts[d]++;
      assigned++;
    }
    return counts;
  }

  private void booking(Streams out, Arrival a) throws SQLException {
    Facility f = a.facility;
    User u = a.user;
    Vehicle v = u.vehicles.get(random.nextInt(u.vehicles.size()));
    UUID id = uuid();
    Instant entry = a.entry;
    boolean ahead = entry.isAfter(asOf);
    boolean reservation = random.nextInt(10) < 4 || ahead;
    Instant created = reservation ? entry.minusSeconds(3600 + random.nextLong(5 * 86400)) : entry;
    if (created.isAfter(asOf)) {
      created = asOf.minusSeconds(60 + random.nextInt(3600));
    }
    long minutes = stayMinutes();
    Instant expectedExit = entry.plus(Duration.ofMinutes(minutes));
    // A quarter of stays overrun the expected exit a little, a few by a lot.
    long overrun = random.nextInt(4) == 0 ? random.nextInt(random.nextInt(20) == 0 ? 240 : 40) : -random.nextInt(20);
    Instant actualExit = expectedExit.plus(Duration.ofMinutes(overrun)).plusSeconds(random.nextInt(60));
    if (!actualExit.isAfter(entry)) {
      actualExit = entry.plusSeconds(600);
    }

    int roll = random.nextInt(100);
    String status;
    if (ahead) {
      status = "CONFIRMED";
    } else if (reservation && roll < 18) {
      status = "CANCELLED";
    } else if (reservation && roll < 27) {
      status = "NO_SHOW";
    } else if (actualExit.isAfter(asOf)) {
      status = entry.isAfter(asOf) ? "CONFIRMED" : "ACTIVE";
    } else {
      status = "COMPLETED";
    }

    Spot spot = assignSpot(f, entry, "COMPLETED".equals(status) || "ACTIVE".equals(status) ? actualExit : entry);
    long estimated = price(f, Duration.between(entry, expectedExit).toMinutes());
    Long finalPrice = null;
    UUID paymentId = null;
    Instant updated = created;
    String provider = provider(f);

    switch (status) {
      case "COMPLETED" -> {
        long cents = price(f, Duration.between(entry, actualExit).toMinutes());
        finalPrice = cents;
        updated = actualExit;
        if (cents > 0) {
          Instant paidAt = actualExit.plusSeconds(5 + random.nextInt(120));
          if (random.nextInt(100) < 3 && paidAt.plusSeconds(660).isBefore(asOf)) {
            UUID failed = uuid();
            out.payments.row(failed, u.id, f.id, id, null, null, "BOOKING", money(cents), f.currency, provider, "FAILED",
                null, null, paidAt, paidAt);
            audit(out, u.id, "PAYMENT_FAILED", "payment", failed, paidAt);
            paidAt = paidAt.plusSeconds(60 + random.nextInt(600));
          }
          paymentId = uuid();
          String payStatus = "SUCCEEDED";
          Instant payUpdated = paidAt;
          Instant refundAt = paidAt.plusSeconds(3600 + random.nextLong(3 * 86400));
          boolean refunded = random.nextInt(100) < 2 && refundAt.isBefore(asOf);
          if (refunded) {
            payStatus = "REFUNDED";
            payUpdated = refundAt;
            long refundCents = random.nextBoolean() ? cents : Math.max(1, cents / 2);
            UUID refund = uuid();
            out.payments.row(refund, u.id, f.id, id, null, null, "REFUND", money(refundCents), f.currency, provider,
                "SUCCEEDED", "re_" + refund.toString().substring(0, 18), refundAt, refundAt, refundAt);
            audit(out, u.id, "PAYMENT_REFUNDED", "payment", refund, refundAt);
          }
          if (paidAt.isAfter(asOf)) {
            payStatus = "PENDING";
          }
          out.payments.row(paymentId, u.id, f.id, id, null, null, "BOOKING", money(cents), f.currency, provider, payStatus,
              "PENDING".equals(payStatus) ? null : "txn_" + paymentId.toString().substring(0, 18),
              "PENDING".equals(payStatus) ? null : paidAt, actualExit, "PENDING".equals(payStatus) ? actualExit : payUpdated);
          audit(out, u.id, "PAYMENT_" + payStatus, "payment", paymentId, "PENDING".equals(payStatus) ? actualExit : paidAt);
          if (paidAt.isAfter(updated) && !paidAt.isAfter(asOf)) {
            updated = paidAt;
          }
        }
        events(out, f, spot, v, entry, actualExit);
        if (actualExit.isAfter(expectedExit.plus(Duration.ofMinutes(30))) && random.nextInt(3) == 0) {
          violation(out, f, u, v, id, "OVERSTAY", actualExit);
        }
      }
      case "ACTIVE" -> events(out, f, spot, v, entry, null);
      case "CANCELLED" -> {
        Instant cancelledAt = created.plusSeconds(random.nextLong(Math.max(1, Duration.between(created, entry).getSeconds())));
        updated = cancelledAt;
        if (random.nextBoolean() && estimated > 0) {
          // Prepaid reservation, refunded in full on cancellation.
          paymentId = uuid();
          out.payments.row(paymentId, u.id, f.id, id, null, null, "BOOKING", money(estimated), f.currency, provider, "REFUNDED",
              "txn_" + paymentId.toString().substring(0, 18), created, created, cancelledAt);
          UUID refund = uuid();
          out.payments.row(refund, u.id, f.id, id, null, null, "REFUND", money(estimated), f.currency, provider, "SUCCEEDED",
              "re_" + refund.toString().substring(0, 18), cancelledAt, cancelledAt, cancelledAt);
          audit(out, u.id, "PAYMENT_REFUNDED", "payment", refund, cancelledAt);
        }
      }
      case "NO_SHOW" -> {
        updated = entry.plusSeconds(3600).isAfter(asOf) ? created : entry.plusSeconds(3600);
        if (random.nextInt(3) == 0 && !entry.plusSeconds(3600).isAfter(asOf)) {
          // A no-show fee is charged an hour after the reserved time.
          long fee = f.hourlyRateCents * 2;
          finalPrice = fee;
          paymentId = uuid();
          Instant paidAt = entry.plusSeconds(3600);
          out.payments.row(paymentId, u.id, f.id, id, null, null, "BOOKING", money(fee), f.currency, provider, "SUCCEEDED",
              "txn_" + paymentId.toString().substring(0, 18), paidAt, paidAt, paidAt);
        }
      }
      default -> { /* CONFIRMED: a reservation still ahead of us */ }
    }

    out.bookings.row(id, u.id, v.id, spot.id, f.id, "T" + (++ticket), reservation ? "RESERVATION" : "DRIVE_UP", status, entry,
        expectedExit, "COMPLETED".equals(status) ? actualExit : null, money(estimated), finalPrice == null ? null : money(finalPrice),
        paymentId, created, updated);
    audit(out, u.id, "BOOKING_CREATED", "booking", id, created);
  }

  private void violation(Streams out, Facility f, User u, Vehicle v, UUID booking, String type, Instant at) throws SQLException {
    UUID id = uuid();
    long penalty = f.hourlyRateCents * (8 + random.nextInt(8));
    int roll = random.nextInt(10);
    Instant resolved = at.plusSeconds(86400 + random.nextLong(20L * 86400));
    String status = "OPEN";
    Instant updated = at;
    if (roll < 6 && resolved.isBefore(asOf)) {
      status = "PAID";
      updated = resolved;
      UUID pay = uuid();
      out.payments.row(pay, u.id, f.id, null, id, null, "FINE", money(penalty), f.currency, provider(f), "SUCCEEDED",
          "txn_" + pay.toString().substring(0, 18), resolved, resolved, resolved);
    } else if (roll < 7 && resolved.isBefore(asOf)) {
      status = "WAIVED";
      updated = resolved;
    } else {
      resolved = null;
    }
    out.violations.row(id, u.id, v.id, f.id, booking, type, money(penalty), status, at, resolved, at, updated);
  }

  private void events(Streams out, Facility f, Spot spot, Vehicle v, Instant entry, Instant exit) throws SQLException {
    String track = "trk-" + Long.toString(eventId + 1, 36);
    event(out, f, spot.zone, track, v, "ENTRY", entry.plusSeconds(random.nextInt(30)));
    if (exit != null && random.nextInt(200) != 0) { // an exit camera occasionally misses the vehicle
      event(out, f, spot.zone, track, v, "EXIT", exit.minusSeconds(random.nextInt(30)));
    }
  }

  private void event(Streams out, Facility f, Zone zone, String track, Vehicle v, String direction, Instant at) throws SQLException {
    if (at.isAfter(asOf)) {
      return; // the camera has not seen it yet
    }
    String confidence = String.format("0.%03d", 600 + random.nextInt(400));
    out.parkingEvents.row(++eventId, zone.camera, f.id, zone.id, track, v.plate, v.type, direction, confidence, at, at);
    if (random.nextInt(70) == 0) {
      // The camera saw the same vehicle again a moment later: a duplicate detection.
      Instant again = at.plusMillis(500 + random.nextInt(2500));
      if (again.isAfter(asOf)) {
        return;
      }
      out.parkingEvents.row(++eventId, zone.camera, f.id, zone.id, track, v.plate, v.type, direction, confidence, again, again);
    }
  }

  private void audit(Streams out, UUID user, String action, String type, UUID resource, Instant at) throws SQLException {
    out.auditLogs.row(uuid(), user, action, type, resource, "{\"source\": \"app\"}", at);
  }

  // ---------------------------------------------------------------- helpers

  private Spot assignSpot(Facility f, Instant entry, Instant exit) {
    int n = f.spots.size();
    int choice = -1;
    for (int attempt = 0; attempt < 12; attempt++) {
      int i = random.nextInt(n);
      if (!f.freeAt[i].isAfter(entry)) {
        choice = i;
        break;
      }
    }
    if (choice < 0) {
      choice = 0;
      for (int i = 1; i < n; i++) {
        if (f.freeAt[i].isBefore(f.freeAt[choice])) {
          choice = i;
        }
      }
    }
    if (exit.isAfter(f.freeAt[choice])) {
      f.freeAt[choice] = exit;
    }
    return f.spots.get(choice);
  }

  /** Price in cents: started hours after the free minutes at the hourly rate, capped per started day. */
  static long priceCents(long hourlyRateCents, long dailyCapCents, int freeMinutes, long minutes) {
    if (minutes <= freeMinutes) {
      return 0;
    }
    long days = minutes / 1440;
    long rest = minutes % 1440;
    long restPrice = Math.min(dailyCapCents, ((rest + 59) / 60) * hourlyRateCents);
    return days * dailyCapCents + restPrice;
  }

  private long price(Facility f, long minutes) {
    return priceCents(f.hourlyRateCents, f.dailyCapCents, f.freeMinutes, minutes);
  }

  private long stayMinutes() {
    // Log-normal around two hours, with a tail of all-day and multi-day stays.
    double gaussian = gaussian();
    long m = Math.round(Math.exp(Math.log(120) + 0.8 * gaussian));
    if (random.nextInt(50) == 0) {
      m += 1440L * (1 + random.nextInt(3));
    }
    return Math.max(10, Math.min(m, 6 * 1440));
  }

  private double gaussian() {
    // Box-Muller on the shared stream keeps the sequence reproducible across JDKs.
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private int pickHour() {
    double total = 0;
    for (double w : HOURLY_ARRIVALS) {
      total += w;
    }
    double r = random.nextDouble() * total;
    for (int h = 0; h < 24; h++) {
      r -= HOURLY_ARRIVALS[h];
      if (r < 0) {
        return h;
      }
    }
    return 23;
  }

  private Facility pickFacility() {
    double r = random.nextDouble(); // weights are normalised to sum to one
    for (Facility f : facilities) {
      r -= f.weight;
      if (r < 0) {
        return f;
      }
    }
    return facilities.get(facilities.size() - 1);
  }

  private String provider(Facility f) {
    String[] options = "INR".equals(f.currency) ? PROVIDERS_INR : PROVIDERS;
    return options[random.nextInt(options.length)];
  }

  private String plate() {
    StringBuilder sb = new StringBuilder(8);
    for (int i = 0; i < 3; i++) {
      sb.append((char) ('A' + random.nextInt(26)));
    }
    sb.append('-');
    sb.append(1000 + random.nextInt(9000));
    return sb.toString();
  }

  private static String facilityName(int n) {
    String[] names = {"Central", "Riverside", "Station", "Airport", "Harbour", "Market", "Park", "Tower"};
    return names[n % names.length] + (n >= names.length ? " " + (n / names.length + 1) : "");
  }

  private UUID uuid() {
    long msb = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  static String money(long cents) {
    long abs = Math.abs(cents);
    return (cents < 0 ? "-" : "") + (abs / 100) + "." + String.format("%02d", abs % 100);
  }

  // ---------------------------------------------------------------- model

  private enum Table {
    USERS("id,email,full_name,phone,role,is_verified,is_deleted,created_at,updated_at"),
    VEHICLES("id,user_id,plate_number,vehicle_type,is_active,created_at,updated_at"),
    FACILITIES("id,owner_id,name,city,timezone,currency,latitude,longitude,total_spots,is_active,created_at,updated_at"),
    ZONES("id,facility_id,name,code,total_spots,created_at,updated_at"),
    PARKING_SPOTS("id,zone_id,spot_number,size,has_ev_charger,is_accessible,is_active,created_at,updated_at"),
    PRICING_RULES("id,facility_id,strategy,config,priority,free_minutes,created_at,updated_at"),
    SUBSCRIPTIONS("id,facility_id,name,price,duration_days,entry_count,created_at,updated_at"),
    USER_SUBSCRIPTIONS("id,user_id,subscription_id,activated_at,expires_at,entries_remaining,created_at,updated_at"),
    BOOKINGS("id,user_id,vehicle_id,spot_id,facility_id,ticket_number,booking_type,status,entry_time,expected_exit,"
        + "actual_exit,estimated_price,final_price,payment_id,created_at,updated_at"),
    PAYMENTS("id,user_id,facility_id,booking_id,violation_id,user_subscription_id,kind,amount,currency,provider,status,"
        + "provider_txn_id,paid_at,created_at,updated_at"),
    VIOLATIONS("id,user_id,vehicle_id,facility_id,booking_id,violation_type,penalty_amount,status,violation_time,"
        + "resolved_at,created_at,updated_at"),
    PARKING_EVENTS("id,camera_id,facility_id,zone_id,track_id,plate_number,vehicle_type,direction,confidence,event_time,created_at"),
    AUDIT_LOGS("id,user_id,action,resource_type,resource_id,details,created_at");

    final String columns;

    Table(String columns) {
      this.columns = columns;
    }
  }

  private static final class Streams {
    final CopyStream users, vehicles, facilities, zones, parkingSpots, pricingRules, subscriptions, userSubscriptions,
        bookings, payments, violations, parkingEvents, auditLogs;

    Streams(Map<String, CopyStream> s) {
      users = s.get("USERS");
      vehicles = s.get("VEHICLES");
      facilities = s.get("FACILITIES");
      zones = s.get("ZONES");
      parkingSpots = s.get("PARKING_SPOTS");
      pricingRules = s.get("PRICING_RULES");
      subscriptions = s.get("SUBSCRIPTIONS");
      userSubscriptions = s.get("USER_SUBSCRIPTIONS");
      bookings = s.get("BOOKINGS");
      payments = s.get("PAYMENTS");
      violations = s.get("VIOLATIONS");
      parkingEvents = s.get("PARKING_EVENTS");
      auditLogs = s.get("AUDIT_LOGS");
    }
  }

  private static final class Facility {
    UUID id;
    int index;
    String name;
    ZoneId zone;
    String currency;
    double weight;
    long hourlyRateCents;
    long dailyCapCents;
    int freeMinutes;
    UUID monthlyPlan;
    long monthlyPriceCents;
    final List<Spot> spots = new ArrayList<>();
    Instant[] freeAt;
  }

  private static final class Zone {
    UUID id;
    String code;
    String camera;
  }

  private static final class Spot {
    UUID id;
    Zone zone;
  }

  private static final class User {
    UUID id;
    Facility home;
    final List<Vehicle> vehicles = new ArrayList<>(2);
  }

  private static final class Vehicle {
    UUID id;
    String plate;
    String type;
  }

  private record Arrival(User user, Facility facility, Instant entry) {}
}
