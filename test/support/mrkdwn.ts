/**
 * How a Slack client shows a mrkdwn string (https://api.slack.com/reference/surfaces/formatting), reduced to what
 * tests ask: the visible text, and everything Slack would do with it beyond showing it (format, ping, mention, link).
 */
export interface Rendered {
  visible: string;
  /** e.g. 'italic:home', 'broadcast:channel', 'mention:U123', 'link:https://…', 'autolink:evil.com', 'emoji:fire' */
  active: string[];
}

const WJ = /\u2060/g;
const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

// control sequences: <!here>, <@U…>, <#C…|name>, <!date^…|fallback>, <url|label>, <url>
function controls(text: string, active: string[]): string {
  return text.replace(/<([^<>]*)>/g, (_all, inner: string) => {
    const [target = '', label] = inner.split(/\|(.*)/s);
    if (/^!(here|channel|everyone)$/.test(target)) return active.push(`broadcast:${target.slice(1)}`), `@${target.slice(1)}`;
    if (target.startsWith('!date^')) return '‹date›'; // the client writes the date; the fallback is not parsed
    if (/^@[UW]/.test(target)) return active.push(`mention:${target.slice(1)}`), `@${target.slice(1)}`;
    if (target.startsWith('#C')) return active.push(`channel:${target.slice(1)}`), `#${label ?? target.slice(1)}`;
    active.push(`link:${target}`);
    return label ?? target;
  });
}

// a marker opens after the start, a space or an opening bracket and closes before the end, a space or punctuation
const FORMATS: Array<[string, string]> = [['*', 'bold'], ['_', 'italic'], ['~', 'strike'], ['`', 'code']];
const esc = (c: string) => `\\${c}`;

function formatting(text: string, active: string[]): string {
  let out = text;
  for (const [marker, name] of FORMATS) {
    const m = esc(marker);
    const re = new RegExp(`(^|[\\s(\\[{"'])${m}([^\\s${m}](?:[^${m}\\n]*[^\\s${m}])?)${m}(?=$|[\\s)\\]}.,!?:;"'])`, 'g');
    out = out.replace(re, (_all, before: string, inner: string) => (active.push(`${name}:${inner}`), `${before}${inner}`));
  }
  return out;
}

/** What the reader sees and what Slack does with `text` as a mrkdwn field. */
export function renderMrkdwn(text: string): Rendered {
  const active: string[] = [];
  let out = controls(text, active);
  for (const match of out.matchAll(/(?<![\w\u2060])@(channel|here|everyone)\b/g)) active.push(`broadcast:${match[1]}`);
  for (const match of out.matchAll(/:([a-z0-9_+'-]+):/g)) active.push(`emoji:${match[1]}`);
  for (const match of out.matchAll(/\b(?:https?:\/\/|www\.)[a-z0-9-][^\s<>]*|\b[a-z0-9-]+\.(?:com|org|net|io|de|example)\b/gi)) active.push(`autolink:${match[0]}`);
  out = formatting(out, active);
  return { visible: decode(out.replace(WJ, '')), active };
}

/** Our mrkdwn without its invisible word joiners: the characters a reader sees, in Slack's escaped form. */
export const withoutJoiners = (text: string): string => text.replace(WJ, '');
