/** How long X considers a text, close to twitter-text v3 (the rules X's own clients use). */
export const POST_LIMIT = 280;
export const DM_LIMIT = 10_000;

const URL_WEIGHT = 23; // every link becomes a t.co link of this length
const URL = /\bhttps?:\/\/[^\s<>"]+|\bwww\.[^\s<>"]+/gi;
// code points X counts once; everything else (CJK, emoji, ...) counts twice
const LIGHT: [number, number][] = [[0, 4351], [8192, 8205], [8208, 8223], [8242, 8247]];
const EMOJI = /\p{Extended_Pictographic}/u;
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

function weightOf(grapheme: string): number {
  if (EMOJI.test(grapheme)) return 2; // an emoji, even a joined family, counts as one wide character
  let weight = 0;
  for (const ch of grapheme) {
    const cp = ch.codePointAt(0) ?? 0;
    weight += LIGHT.some(([lo, hi]) => cp >= lo && cp <= hi) ? 1 : 2;
  }
  return weight;
}

export function xTextLength(text: string): number {
  const normalized = text.normalize('NFC');
  const urls = normalized.match(URL) ?? [];
  const rest = normalized.replace(URL, '');
  let length = urls.length * URL_WEIGHT;
  for (const { segment } of segmenter.segment(rest)) length += weightOf(segment);
  return length;
}
