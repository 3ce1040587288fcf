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

/** The no-reply detector's two labels, and those of agents' verdicts on whether a message needs an answer. */
export const NO_REPLY_LABEL = 'none';
export const REPLY_LABEL = 'reply';

/** A person's recent correction that routes near-identical messages at once, before any retraining. */
export interface RecentCorrection {
  text: string;
  label: string;
  actor?: string;
  /** 'reply': a verdict on whether it needs an answer (label reply or none), not a department */
  task?: 'reply';
}

/** Whether a message needs an answer (thanks, praise, chit-chat and spam do not), and why. */
export interface ReplyCheck {
  needed: boolean;
  /** probability that no reply is needed, 0..1 */
  score: number;
  /** 'model', the cue that settled it ('cue: but'), or who set it */
  reason: string;
}

/** The no-reply detector port. */
export interface ReplyDetector {
  check(text: string): ReplyCheck;
}
