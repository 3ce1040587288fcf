import { averageLink, tfidf, type Vector } from './cluster';
import { analyseAll, type FeedbackText, type Word } from './terms';

export type { FeedbackText } from './terms';

export interface Theme {
  /** its key terms as a reader says them: 'dark mode, theme' */
  label: string;
  /** the key terms, most telling first */
  terms: string[];
  count: number;
  /** ids of the texts in it, ascending */
  items: string[];
}

export interface ThemeOptions {
  /** least average cosine similarity between two groups that merge */
  threshold?: number;
  /** key terms per theme */
  maxTerms?: number;
}

export const DEFAULT_THRESHOLD = 0.15;
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Groups feedback texts into themes by their TF-IDF key terms (English and German). The same texts give
 * the same themes in any order; themes come by count, then label.
 */
export function findThemes(texts: FeedbackText[], options: ThemeOptions = {}): Theme[] {
  const sorted = [...texts].sort((a, b) => compare(a.id, b.id));
  const words = analyseAll(sorted);
  const vectors = tfidf(words.map((doc) => doc.filter((w) => w.content).map((w) => w.key)));
  const groups = averageLink(vectors, options.threshold ?? DEFAULT_THRESHOLD);
  const themes: Theme[] = [];
  const unlabelled: string[] = [];
  for (const group of groups) {
    const ids = group.map((i) => sorted[i]!.id);
    const theme = describe(group.map((i) => ({ words: words[i]!, vector: vectors[i]! })), options.maxTerms ?? 3);
    if (theme.terms.length === 0) unlabelled.push(...ids);
    else themes.push({ ...theme, count: ids.length, items: ids });
  }
  // texts with no content words at all (emoji, links) are counted, not themed
  if (unlabelled.length > 0) themes.push({ label: '(no key terms)', terms: [], count: unlabelled.length, items: unlabelled.sort(compare) });
  return themes.sort((a, b) => b.count - a.count || compare(a.label, b.label) || compare(a.items[0]!, b.items[0]!));
}

interface KeyStats {
  key: string;
  docs: number;
  score: number;
  first: number;
  forms: Map<string, number>;
}

function describe(docs: Array<{ words: Word[]; vector: Vector }>, maxTerms: number): { label: string; terms: string[] } {
  const stats = new Map<string, KeyStats>();
  let seen = 0;
  for (const { words, vector } of docs) {
    const inDoc = new Set<string>();
    for (const w of words) {
      if (!w.content) continue;
      const s = stats.get(w.key) ?? { key: w.key, docs: 0, score: 0, first: seen++, forms: new Map<string, number>() };
      s.forms.set(w.word, (s.forms.get(w.word) ?? 0) + 1);
      if (!inDoc.has(w.key)) {
        inDoc.add(w.key);
        s.docs += 1;
        s.score += vector.get(w.key) ?? 0;
      }
      stats.set(w.key, s);
    }
  }
  // in a group, a key term is one its texts share
  const minDocs = docs.length > 1 ? 2 : 1;
  const chosen = [...stats.values()]
    .filter((s) => s.docs >= minDocs)
    .sort((a, b) => b.score - a.score || a.first - b.first)
    .slice(0, maxTerms);
  const display = new Map(chosen.map((s) => [s.key, surface(s.forms)]));
  const label = phrases(chosen.map((s) => s.key), docs.map((d) => d.words))
    .map((phrase) => phrase.map((k) => display.get(k)).join(' '))
    .join(', ');
  return { label, terms: chosen.map((s) => display.get(s.key)!) };
}

/** The form used most (then the shorter, then the first alphabetically). */
function surface(forms: Map<string, number>): string {
  return [...forms].sort(([a, m], [b, n]) => n - m || a.length - b.length || compare(a, b))[0]![0];
}

/** Orders key terms into the phrases they form in the texts: 'dark' + 'mode' → 'dark mode' when mostly adjacent. */
function phrases(keys: string[], docs: Word[][]): string[][] {
  const follows = (p: string, q: string) => {
    let adjacent = 0;
    let both = 0;
    for (const words of docs) {
      const has = (k: string) => words.some((w) => w.key === k);
      if (!has(p) || !has(q)) continue;
      both += 1;
      if (words.some((w, i) => w.key === p && words[i + 1]?.key === q)) adjacent += 1;
    }
    return adjacent > 0 && adjacent * 2 >= both;
  };
  const placed = new Set<string>();
  const out: string[][] = [];
  for (const key of keys) {
    if (placed.has(key)) continue;
    const chain = [key];
    placed.add(key);
    for (let p = keys.find((k) => !placed.has(k) && follows(k, chain[0]!)); p; p = keys.find((k) => !placed.has(k) && follows(k, chain[0]!))) {
      chain.unshift(p);
      placed.add(p);
    }
    for (let n = keys.find((k) => !placed.has(k) && follows(chain.at(-1)!, k)); n; n = keys.find((k) => !placed.has(k) && follows(chain.at(-1)!, k))) {
      chain.push(n);
      placed.add(n);
    }
    out.push(chain);
  }
  return out;
}
