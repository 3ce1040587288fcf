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
 * The model's second-best department when it is within `margin` of the best score, else null. `inForce` leaves out
 * labels that are not departments now (a model trained before a department was removed); triage is never one.
 */
export function runnerUp(
  scores: Record<string, number> | Map<string, number> | null | undefined,
  inForce: (key: string) => boolean = () => true,
  margin = RUNNER_UP_MARGIN,
): RunnerUp | null {
  const entries = scores instanceof Map ? [...scores] : Object.entries(scores ?? {});
  const ranked = entries.filter(([key, score]) => key !== TRIAGE && Number.isFinite(score) && inForce(key)).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  // the epsilon: 0.5 - 0.35 is 0.15000000000000002 in floating point, and exactly the margin counts as close
  if (!best || !second || best[1] - second[1] > margin + 1e-9) return null;
  return { department: second[0], score: second[1] };
}
