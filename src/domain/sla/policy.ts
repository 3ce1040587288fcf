import { validateBusinessHours, type BusinessHours } from './business-hours';

/** A department's response targets. Minutes are business minutes when `businessHours` is set. */
export interface SlaPolicy {
  firstResponseMinutes: number;
  /** after each customer message while a reply is owed */
  nextResponseMinutes?: number;
  resolutionMinutes: number;
  /** absent: round the clock */
  businessHours?: BusinessHours;
}

/** Problems with an SLA policy, each a sentence for a person; [] when it is usable. */
export function validateSlaPolicy(p: unknown): string[] {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return ['an SLA policy must be an object'];
  const policy = p as Record<string, unknown>;
  const problems: string[] = [];
  const target = (name: string, required: boolean): void => {
    const v = policy[name];
    if (v === undefined && !required) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      problems.push(`${name} must be a number of minutes greater than 0 (got ${JSON.stringify(v) ?? 'nothing'})`);
    }
  };
  target('firstResponseMinutes', true);
  target('nextResponseMinutes', false);
  target('resolutionMinutes', true);
  if (policy['businessHours'] !== undefined) {
    problems.push(...validateBusinessHours(policy['businessHours']).map((m) => `businessHours: ${m}`));
  }
  return problems;
}
