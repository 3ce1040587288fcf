import { readFeedback, type FeedbackRow } from './read';
import { sameTerm } from './terms';
import { findThemes, type Theme } from './themes';

export { digestText } from './digest-text';

export type Trend = 'new' | 'up' | 'down' | 'flat';

export interface DigestConversation {
  id: string;
  preview: string;
  /** the original post (http/https only); else the conversation under `linkBase`; else null */
  url: string | null;
  channel: string;
}

export interface DigestTheme {
  label: string;
  terms: string[];
  count: number;
  previousCount: number;
  trend: Trend;
  /** count − previousCount */
  change: number;
  conversations: DigestConversation[];
}

export interface Digest {
  from: Date;
  to: Date;
  /** the period of the same length just before */
  previous: { from: Date; to: Date; total: number };
  /** every conversation of the period: the listed themes' counts and `more.conversations` add up to it */
  total: number;
  themes: DigestTheme[];
  /** the themes past `limitThemes`, not listed */
  more: { themes: number; conversations: number };
}

export interface DigestOptions {
  from: Date;
  to: Date;
  /** most themes listed (default 10); `total` counts every conversation */
  limitThemes?: number;
  /** where a conversation without a public post can be opened: `${linkBase}/${id}` */
  linkBase?: string;
}

/** Themes of the product feedback that began in [from, to), with counts against the period before. */
export async function buildDigest(options: DigestOptions): Promise<Digest> {
  const { from, to } = options;
  const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  const rows = await readFeedback(previousFrom, to);
  const current = rows.filter((r) => r.at >= from);
  const earlier = rows.filter((r) => r.at < from);
  const themes = findThemes(current);
  const previousThemes = findThemes(earlier);
  const matched = matchThemes(themes, previousThemes);
  const byId = new Map(current.map((r) => [r.id, r]));
  const linkBase = options.linkBase?.replace(/\/+$/, '');
  const limit = options.limitThemes ?? 10;
  const rest = themes.slice(limit);

  return {
    from,
    to,
    previous: { from: previousFrom, to: from, total: earlier.length },
    total: current.length,
    more: { themes: rest.length, conversations: rest.reduce((n, theme) => n + theme.count, 0) },
    themes: themes.slice(0, limit).map((theme, i) => {
      const previousCount = matched.get(i)?.count ?? 0;
      const rowsOf = theme.items.map((id) => byId.get(id)!).sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1));
      return {
        label: theme.label,
        terms: theme.terms,
        count: theme.count,
        previousCount,
        trend: trendOf(theme.count, previousCount),
        change: theme.count - previousCount,
        conversations: rowsOf.map((r) => presentRow(r, linkBase)),
      };
    }),
  };
}

function presentRow(r: FeedbackRow, linkBase: string | undefined): DigestConversation {
  // readers click these links: only a web address of the post counts as one
  const post = r.url && /^https?:\/\//i.test(r.url) ? r.url : null;
  return { id: r.id, preview: r.preview, url: post ?? (linkBase ? `${linkBase}/${r.id}` : null), channel: r.channel };
}

function trendOf(count: number, previousCount: number): Trend {
  if (previousCount === 0) return 'new';
  return count > previousCount ? 'up' : count < previousCount ? 'down' : 'flat';
}

/** Key terms two themes share; themes without key terms match each other. */
function shared(a: Theme, b: Theme): number {
  if (a.terms.length === 0 || b.terms.length === 0) return a.terms.length === b.terms.length ? 1 : 0;
  return a.terms.filter((t) => b.terms.some((u) => sameTerm(t, u))).length;
}

/**
 * Pairs each theme with at most one theme of the period before: the one sharing the most key terms, at
 * least half of the shorter list; the larger themes choose first.
 */
export function matchThemes(current: Theme[], previous: Theme[]): Map<number, Theme> {
  const pairs: Array<{ i: number; j: number; n: number }> = [];
  current.forEach((a, i) =>
    previous.forEach((b, j) => {
      const n = shared(a, b);
      if (n > 0 && n * 2 >= Math.min(a.terms.length, b.terms.length)) pairs.push({ i, j, n });
    }),
  );
  pairs.sort((p, q) => q.n - p.n || p.i - q.i || p.j - q.j);
  const out = new Map<number, Theme>();
  const taken = new Set<number>();
  for (const { i, j } of pairs) {
    if (out.has(i) || taken.has(j)) continue;
    out.set(i, previous[j]!);
    taken.add(j);
  }
  return out;
}
