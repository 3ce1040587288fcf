/** Slack's own escaping: with &, < and > escaped no mention, link or channel ping can be formed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Customer-chosen words inside our mrkdwn: escaped, and stripped of the characters that format. */
export function escapeInline(text: string): string {
  return escapeMrkdwn(text.replace(/[*_~`|]/g, ' ').replace(/\s+/g, ' ').trim());
}

const SAFE_URL = /^https?:\/\/[^\s<>|]+$/;

/** A link only to an http(s) URL we can show safely; otherwise the plain label. */
export function link(url: string | undefined | null, label: string): string {
  return linkLabelled(url, escapeInline(label));
}

/** The same with a label that is already escaped mrkdwn. */
export function linkLabelled(url: string | undefined | null, label: string): string {
  return url && SAFE_URL.test(url) ? `<${url}|${label}>` : label;
}

/** Display cut for Slack's 3,000-character block limit; the stored message stays whole. */
export function clip(text: string, max = 2900): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** A handle as X and most networks spell them (letters, digits, _ . -) is shown as it is. */
export function handleText(handle: string): string {
  return /^@?[A-Za-z0-9_.-]{1,60}$/.test(handle) ? handle : escapeInline(handle);
}
