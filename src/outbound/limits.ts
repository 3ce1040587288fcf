import { DM_LIMIT, POST_LIMIT, xTextLength } from '../../connectors/x/text-length';
import { CHAT_LIMIT, graphemeLength, POST_LIMIT as BLUESKY_POST_LIMIT } from '../../connectors/bluesky/text-length';
import type { MessageKind } from '../domain/message';

/** The most a webhook source takes, as much as it may send us (POST /api/ingest's text limit). */
export const DEFAULT_REPLY_LIMIT = 10_000;

/** How long a reply may be on the conversation's channel, counted the channel's way (X: links 23, wide characters 2). */
export function replyLength(channel: string, kind: MessageKind, text: string): { length: number; limit: number } {
  if (channel === 'x') return { length: xTextLength(text), limit: kind === 'dm' ? DM_LIMIT : POST_LIMIT };
  if (channel === 'bluesky') return { length: graphemeLength(text), limit: kind === 'dm' ? CHAT_LIMIT : BLUESKY_POST_LIMIT };
  return { length: [...text].length, limit: DEFAULT_REPLY_LIMIT };
}
