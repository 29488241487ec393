package io.parklake.pipelines.customers;

import io.parklake.pipelines.clv.BgNbdModel;
import io.parklake.pipelines.clv.GammaGammaModel;
import io.parklake.pipelines.marts.Mart;
import io.parklake.pipelines.marts.MartContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code customer_model_fit}: the parameters behind this run's {@code customer_value} predictions, one
 * row per currency (BG/NBD is shared, Gamma-Gamma is per currency). Refitted from the summaries
 * {@code customer_value} stores, with the same deterministic fit, so the row shows exactly the model
 * that scored the customers and anyone can reproduce it from the mart. The BG/NBD columns are null
 * when there is no visit model, the Gamma-Gamma ones when the currency has no spend model (the log
 * says why, see {@link CustomerModels}).
 */
public final class CustomerModelFitMart implements Mart {

  private static final StructType SCHEMA = new StructType()
      .add("currency", DataTypes.StringType, false)
      .add("as_of", DataTypes.DateType, false)
      .add("customers", DataTypes.IntegerType, false)
      .add("bgnbd_customers", DataTypes.IntegerType, false)
      .add("r", DataTypes.DoubleType, true)
      .add("alpha", DataTypes.DoubleType, true)
      .add("a", DataTypes.DoubleType, true)
      .add("b", DataTypes.DoubleType, true)
      .add("bgnbd_log_likelihood", DataTypes.DoubleType, true)
      .add("gamma_gamma_customers", DataTypes.IntegerType, false)
      .add("p", DataTypes.DoubleType, true)
      .add("q", DataTypes.DoubleType, true)
      .add("gamma", DataTypes.DoubleType, true)
      .add("gamma_gamma_log_likelihood", DataTypes.DoubleType, true);

  @Override
  public String name() {
    return "customer_model_fit";
  }

  @Override
  public List<String> inputs() {
    return List.of("gold.customer_value");
  }

  @Override
  public String dateColumn() {
    return null;
  }

  @Override
  public Dataset<Row> compute(MartContext context, SortedSet<LocalDate> changedDays) {
    List<Row> out = new ArrayList<>();
    CustomerModels.fit(context.table("gold.customer_value")).ifPresent(m -> m.customersByCurrency.forEach((currency, n) -> {
      GammaGammaModel gg = m.spendByCurrency.get(currency);
      BgNbdModel v = m.visits;
      out.add(RowFactory.create(currency, context.asOf(), Math.toIntExact(n), m.visitsFittedOn, v == null ? null : v.r(),
          v == null ? null : v.alpha(), v == null ? null : v.a(), v == null ? null : v.b(),
          v == null ? null : v.logLikelihood(), m.spendFittedOn.get(currency),
          gg == null ? null : gg.p(), gg == null ? null : gg.q(), gg == null ? null : gg.gamma(),
          gg == null ? null : gg.logLikelihood()));
    }));
    return context.spark().createDataFrame(out, SCHEMA);
  }
}
