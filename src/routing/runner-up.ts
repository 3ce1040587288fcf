import { TRIAGE } from '../domain/department';

/**
 * How close a second choice must be to show it: scores are calibrated probabilities, and a second department within
 * 15 points of the first (45 % against 32 %) is right about as often as a person would want to be asked; further
 * apart it is noise on the card.
 */
export const RUNNER_UP_MARGIN = 0.15;

export interface RunnerUp {
  department: string;
  score: number;
}

/**
 * The model's second-best department when it is within `margin` of its choice (`label`; else the best score), else
 * null. `inForce` leaves out labels that are not departments now (a model trained before a department was removed);
 * triage is never one. Ties go by key, so every reader names the same second.
 */
export function runnerUp(
  scores: Record<string, number> | Map<string, number> | null | undefined,
  options: { label?: string | null; inForce?: (key: string) => boolean; margin?: number } = {},
): RunnerUp | null {
  const { inForce = () => true, margin = RUNNER_UP_MARGIN } = options;
  const entries = scores instanceof Map ? [...scores] : Object.entries(scores ?? {});
  const ranked = entries
    .filter(([key, score]) => key !== TRIAGE && Number.isFinite(score) && inForce(key))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const best = ranked.find(([key]) => key === options.label) ?? ranked[0];
  const second = ranked.find((entry) => entry !== best);
  // the epsilon: 0.5 - 0.35 is 0.15000000000000002 in floating point, and exactly the margin counts as close
  if (!best || !second || best[1] - second[1] > margin + 1e-9) return null;
  return { department: second[0], score: second[1] };
}
