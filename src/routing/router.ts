import type { Classification, DepartmentClassifier } from '../domain/classification';
import type { RoutingDecision } from '../domain/conversation';
import { TRIAGE } from '../domain/department';

export interface RouterOptions {
  /** below this confidence a conversation goes to triage */
  threshold: number;
  departments: Iterable<string>;
}

/** Chooses the department for a new conversation from the current model's classification. */
export class Router {
  private classifier: DepartmentClassifier;
  private departments: Set<string>;
  private readonly threshold: number;

  constructor(classifier: DepartmentClassifier, options: RouterOptions) {
    this.classifier = classifier;
    this.departments = new Set(options.departments);
    this.threshold = options.threshold;
  }

  /** Swaps in a newly trained model; conversations already routed keep their decision. */
  useClassifier(classifier: DepartmentClassifier): void {
    this.classifier = classifier;
  }

  setDepartments(keys: Iterable<string>): void {
    this.departments = new Set(keys);
  }

  hasDepartment(key: string): boolean {
    return this.departments.has(key);
  }

  route(text: string): RoutingDecision {
    return decide(this.classifier.classify(text), this.threshold, this.departments);
  }
}

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
