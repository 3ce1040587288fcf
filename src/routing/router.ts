import { NO_REPLY_LABEL, type Classification, type DepartmentClassifier, type ReplyCheck, type ReplyDetector } from '../domain/classification';
import type { RoutingDecision } from '../domain/conversation';
import { TRIAGE } from '../domain/department';
import type { Author } from '../domain/message';
import type { RecentCorrection } from '../domain/classification';
import { correctionRule, matchCorrection } from './corrections';
import type { RuleSet } from './rules';

export interface RouterOptions {
  /** below this confidence a conversation goes to triage */
  threshold: number;
  /** a lower threshold for some departments (those the model knows only from their words) */
  thresholds?: Record<string, number>;
  departments: Iterable<string>;
  rules?: RuleSet;
  /** tells messages that need no answer (thanks, praise, chit-chat, spam); absent: every message needs one */
  noReply?: ReplyDetector;
}

/** Chooses the department for a new conversation from the current model's classification. */
export class Router {
  private classifier: DepartmentClassifier;
  private departments: Set<string>;
  private threshold: number;
  private thresholds: Record<string, number>;
  private readonly rules?: RuleSet;
  private noReply?: ReplyDetector;

  constructor(classifier: DepartmentClassifier, options: RouterOptions) {
    this.classifier = classifier;
    this.departments = new Set(options.departments);
    this.threshold = options.threshold;
    this.thresholds = options.thresholds ?? {};
    this.rules = options.rules;
    this.noReply = options.noReply;
  }

  /**
   * Whether `text` needs an answer: an agent's recent verdict on a near-identical message from the same customer or
   * thread decides first (before the detector has learnt it), else the no-reply detector; undefined without either (it does).
   */
  checkReply(text: string, recent: readonly RecentCorrection[] = []): ReplyCheck | undefined {
    const check = this.noReply?.check(text);
    const taught = matchCorrection(text, recent.filter((c) => c.task === 'reply'));
    if (!taught) return check;
    return { needed: taught.label !== NO_REPLY_LABEL, score: check?.score ?? 0, reason: correctionRule(taught) };
  }

  /** Swaps in a no-reply detector retrained on agents' verdicts. */
  useReplyDetector(detector: ReplyDetector): void {
    this.noReply = detector;
  }

  get triageThreshold(): number {
    return this.threshold;
  }

  /** Swaps in a newly trained model; conversations already routed keep their decision. */
  useClassifier(classifier: DepartmentClassifier, threshold?: number, thresholds?: Record<string, number>): void {
    this.classifier = classifier;
    if (threshold !== undefined) this.threshold = threshold;
    if (thresholds !== undefined) this.thresholds = thresholds;
  }

  /** the confidence `department` needs before a conversation goes there without triage */
  thresholdFor(department: string): number {
    return Math.min(this.threshold, this.thresholds[department] ?? this.threshold);
  }

  setDepartments(keys: Iterable<string>): void {
    this.departments = new Set(keys);
  }

  hasDepartment(key: string): boolean {
    return this.departments.has(key);
  }

  /**
   * A person's recent correction of a near-identical message from the same customer or thread decides first
   * (it applies before any retrain), then a rule (an author, the channel's hint, a keyword); the model's view is still
   * recorded; else the model.
   */
  route(text: string, author?: Author, recent: readonly RecentCorrection[] = [], hint?: string): RoutingDecision {
    const classification = this.classifier.classify(text);
    const corrected = matchCorrection(text, recent.filter((c) => c.task === undefined && this.departments.has(c.label)));
    if (corrected) {
      return { ...decide(classification, this.thresholdFor(classification.label), this.departments), department: corrected.label, method: 'rule', rule: correctionRule(corrected) };
    }
    const rule = this.rules?.match(text, author, hint) ?? hintRule(hint);
    if (rule && this.departments.has(rule.department)) {
      return { ...decide(classification, this.thresholdFor(classification.label), this.departments), department: rule.department, method: 'rule', rule: rule.rule };
    }
    return decide(classification, this.thresholdFor(classification.label), this.departments);
  }
}

// without a departments file there is no RuleSet, and a channel's hint still counts
const hintRule = (hint?: string) => (hint ? { department: hint, rule: `hint ${hint}` } : undefined);

export function decide(c: Classification, threshold: number, departments: Set<string>): RoutingDecision {
  const confident = c.confidence >= threshold && departments.has(c.label);
  return {
    department: confident ? c.label : TRIAGE,
    method: confident ? 'model' : 'triage',
    label: c.label,
    confidence: c.confidence,
    scores: c.scores,
    lang: c.lang,
    terms: c.terms,
  };
}
