import { seededRandom } from '../src/domain/random';

export { seededRandom };

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Stratified split: within each stratum (e.g. label+lang) the items are shuffled with `seed`
 * and every stratum gives round(share * size) items to `held` (at least one when it has two or more).
 */
export function stratifiedSplit<T>(
  items: T[],
  stratum: (item: T) => string,
  share: number,
  seed: number,
): { kept: T[]; held: T[] } {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = stratum(item);
    const g = groups.get(key);
    if (g) g.push(item);
    else groups.set(key, [item]);
  }
  const random = seededRandom(seed);
  const kept: T[] = [];
  const held: T[] = [];
  for (const key of [...groups.keys()].sort()) {
    const g = shuffle(groups.get(key)!, random);
    const n = g.length < 2 ? 0 : Math.max(1, Math.round(g.length * share));
    held.push(...g.slice(0, n));
    kept.push(...g.slice(n));
  }
  return { kept, held };
}
