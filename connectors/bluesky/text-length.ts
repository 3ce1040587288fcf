/** Bluesky counts text in graphemes (what a reader sees as one character), with a byte cap behind it. */
export const POST_LIMIT = 300;
export const POST_MAX_BYTES = 3000;
/** chat.bsky.convo.defs#messageInput */
export const CHAT_LIMIT = 1000;
export const CHAT_MAX_BYTES = 10_000;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemeLength(text: string): number {
  let n = 0;
  for (const segment of segmenter.segment(text)) if (segment.segment) n += 1;
  return n;
}

export const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');
