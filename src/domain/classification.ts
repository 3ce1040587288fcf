/** The department classifier port: every model implements this. */
export interface Classification {
  label: string;
  /** probability of `label`, 0..1 */
  confidence: number;
  /** probability per label; sums to 1 */
  scores: Record<string, number>;
  /** detected language code, e.g. 'en', 'de', or 'und' */
  lang?: string;
  /** the few terms that weighed most for `label` */
  terms?: string[];
}

export interface DepartmentClassifier {
  classify(text: string): Classification;
}

/** A person's recent correction that routes near-identical messages at once, before any retraining. */
export interface RecentCorrection {
  text: string;
  label: string;
  actor?: string;
}
