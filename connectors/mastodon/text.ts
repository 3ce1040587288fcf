/** Mastodon's way of counting a status and of addressing it to the customer. */
export const DEFAULT_MAX_CHARACTERS = 500;

const URL = /\bhttps?:\/\/\S+/gi;
// a remote mention counts only its local part (@user of @user@domain)
const REMOTE_MENTION = /(^|[^\w@])(@[\w.-]+)@[\w-]+(?:\.[\w-]+)+/g;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** As Mastodon counts it: graphemes, every link as 23, remote mentions without their domain. */
export function mastodonLength(text: string): number {
  const links = text.match(URL) ?? [];
  const rest = text.replace(URL, '').replace(REMOTE_MENTION, '$1$2');
  return [...segmenter.segment(rest)].length + links.length * 23;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text with `@acct` in front unless it already addresses that account (the customer then sees it as theirs). */
export function addressed(text: string, acct: string): string {
  const handle = new RegExp(`(^|[^\\w@])@${escape(acct)}(?![\\w@-]|\\.\\w)`, 'i');
  return handle.test(text) ? text : `@${acct} ${text}`;
}
