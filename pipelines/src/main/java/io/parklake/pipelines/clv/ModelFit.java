package io.parklake.pipelines.clv;

/**
 * What fitting a customer model gave: the model, or why there is none. A degenerate sample (no
 * repeat purchases, identical amounts, a likelihood with no finite maximum) does not throw: it comes
 * back as a failure for the caller to log, and the predictions that needed the model are null.
 *
 * @param model the fitted model, null when there is none
 * @param failure why there is no model, null when there is one
 */
public record ModelFit<M>(M model, String failure) {
  public ModelFit {
    if ((model == null) == (failure == null)) {
      throw new IllegalArgumentException("a fit has either a model or a failure, got model " + model + " and failure " + failure);
    }
  }

  static <M> ModelFit<M> of(M model) {
    return new ModelFit<>(model, null);
  }

  static <M> ModelFit<M> failed(String failure) {
    return new ModelFit<>(null, failure);
  }

  public boolean fitted() {
    return model != null;
  }

  /** The model, for callers that cannot go on without one. */
  public M orElseThrow() {
    if (model == null) {
      throw new IllegalStateException("no model: " + failure);
    }
    return model;
  }
}
