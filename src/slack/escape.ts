/** U+2060 WORD JOINER: invisible, and no mrkdwn marker, mention, emoji code or link can form across it. */
const WJ = '\u2060';

/** Slack's own escaping: with &, < and > escaped no mention, link or channel ping can be formed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// line breaks and other control characters would break our one-line layouts; they show nothing themselves
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// a formatting marker opens or closes only at a word boundary: a joiner on both sides makes it neither
const MARKER = /[*_~`]/g;
// `@here` (with link_names), `:emoji:` codes and bare domains or URLs that Slack would link
const TRIGGER = /[@:.]/g;

/**
 * Customer-chosen words inside our mrkdwn, shown exactly as written: Slack's escapes for &, < and >,
 * and invisible word joiners where a character would otherwise format, ping or link.
 */
export function escapeInline(text: string): string {
  return escapeMrkdwn(text.replace(CONTROL, ' '))
    .replace(MARKER, (c) => `${WJ}${c}${WJ}`)
    .replace(TRIGGER, (c) => `${c}${WJ}`);
}

const SAFE_URL = /^https?:\/\/[^\s<>|]+$/;
// embeddings, overrides, isolates and marks: they can make a link look like it goes somewhere else
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

/** True when text carries a bidirectional control character. */
export const hasBidiControl = (text: string): boolean => BIDI.test(text);

/** A link only to an http(s) URL we can show safely; otherwise the plain label. */
export function link(url: string | undefined | null, label: string): string {
  return linkLabelled(url, escapeInline(label));
}

/** The same with a label that is already escaped mrkdwn; a URL or label with bidi controls stays text. */
export function linkLabelled(url: string | undefined | null, label: string): string {
  return url && SAFE_URL.test(url) && !hasBidiControl(url) && !hasBidiControl(label) ? `<${url}|${label}>` : label;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Display cut for Slack's 3,000-character block limit, between graphemes; the stored message stays whole. */
export function clip(text: string, max = 2900): string {
  if (text.length <= max) return text;
  // the grapheme holding the first unit past the limit goes whole, with whatever follows it
  const end = graphemes.segment(text).containing(max)?.index ?? max;
  return `${text.slice(0, end)}…`;
}
