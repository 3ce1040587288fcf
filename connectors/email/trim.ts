/**
 * The part of a mail its writer wrote now: quoted history ("On … wrote:", "Am … schrieb …:", Outlook's header
 * block, lines starting with '>') and the signature ("-- " line, a closing near the end) cut off. For
 * classification only: the stored text stays whole.
 */

// one line, or two joined (clients wrap long attributions): what starts the quoted history
const ATTRIBUTION = [
  /^on\b.{0,300}\bwrote:\s*$/i,
  /^am\b.{0,300}\bschrieb\b.{0,300}:\s*$/i,
  /^-{2,}\s*(original message|ursprüngliche nachricht|forwarded message|weitergeleitete nachricht)\s*-{2,}/i,
  /^_{10,}\s*$/,
];
// Outlook quotes under a header block: "From: …" followed by "Sent:"/"Gesendet:" or "To:"/"An:"
const OUTLOOK_FROM = /^(from|von):\s.+/i;
const OUTLOOK_NEXT = /^(sent|gesendet|date|datum|to|an):\s/i;
const SIGNATURE = /^--\s?$/;
const CLOSING =
  /^(best( regards| wishes)?|kind regards|warm regards|regards|cheers|thanks( again| a lot)?|thank you|many thanks|sincerely|yours( sincerely| truly)?|mit freundlichen grüßen|freundliche grüße|viele grüße|beste grüße|liebe grüße|schöne grüße|herzliche grüße|grüße|gruß|danke( schön)?|vielen dank|lg|mfg|vg)\s*[,.!]*\s*$/i;
// a closing ends the message only when at most this many lines (name, title, phone) follow it
const SIGNATURE_LINES = 6;

function historyStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] ?? '').trim();
    const joined = `${line} ${(lines[i + 1] ?? '').trim()}`;
    if (ATTRIBUTION.some((p) => p.test(line) || p.test(joined))) return i;
    if (OUTLOOK_FROM.test(line) && OUTLOOK_NEXT.test((lines[i + 1] ?? '').trim())) return i;
  }
  return lines.length;
}

function signatureStart(lines: string[]): number {
  const dashes = lines.findIndex((l) => SIGNATURE.test(l.trimEnd()));
  if (dashes >= 0) return dashes;
  for (let i = Math.max(1, lines.length - SIGNATURE_LINES - 1); i < lines.length; i += 1) {
    if (CLOSING.test((lines[i] ?? '').trim())) return i;
  }
  return lines.length;
}

export function trimReply(text: string): string {
  const all = text.replace(/\r\n?/g, '\n').split('\n');
  const own = all.slice(0, historyStart(all)).filter((l) => !l.trimStart().startsWith('>'));
  while (own.length > 0 && (own[own.length - 1] ?? '').trim() === '') own.pop();
  return own.slice(0, signatureStart(own)).join('\n').trim();
}
