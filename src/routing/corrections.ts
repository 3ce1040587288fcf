import type { RecentCorrection } from '../domain/classification';

/** below this share of shared character trigrams two messages are different requests */
export const NEAR_IDENTICAL = 0.75;

/** links, handles and digits vary between otherwise identical messages (order numbers, @mentions) */
function signature(text: string): Set<string> {
  const s = ` ${text
    .toLowerCase()
    .replace(/\b(?:https?:\/\/|www\.)\S+/g, ' ')
    .replace(/[@#][\p{L}\p{N}_]+/gu, ' ')
    .replace(/\p{N}+/gu, '0')
    .replace(/[^\p{L}0]+/gu, ' ')
    .trim()} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) grams.add(s.slice(i, i + 3));
  return grams;
}

export function similarity(a: string, b: string): number {
  const x = signature(a);
  const y = signature(b);
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  const union = x.size + y.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** What a decision taken from a correction records as its rule (or reason). */
export const correctionRule = (c: RecentCorrection): string => `correction${c.actor ? ` by ${c.actor}` : ''} of a near-identical message`;

/** The newest correction (first in `recent`) whose text is near-identical to `text`, if any. */
export function matchCorrection(text: string, recent: readonly RecentCorrection[]): RecentCorrection | undefined {
  return recent.find((c) => similarity(text, c.text) >= NEAR_IDENTICAL);
}
