/** Slack's own escaping: with &, < and > escaped no mention, link or channel ping can be formed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Customer-chosen words inside our mrkdwn: escaped, and stripped of the characters that format. */
export function escapeInline(text: string): string {
  return escapeMrkdwn(text.replace(/[*_~`|]/g, ' ').replace(/\s+/g, ' ').trim());
}

/** A link only to an http(s) URL we can show safely; otherwise the plain label. */
export function link(url: string | undefined | null, label: string): string {
  if (!url || !/^https?:\/\/[^\s<>|]+$/.test(url)) return escapeInline(label);
  return `<${url}|${escapeInline(label)}>`;
}

/** Display cut for Slack's 3,000-character block limit; the stored message stays whole. */
export function clip(text: string, max = 2900): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
