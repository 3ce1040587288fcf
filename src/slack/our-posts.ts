import type { webApi } from '@slack/bolt';

/** Every post of ours carries this metadata (`key` names what it is about), so an uncertain post can be found again. */
const METADATA_EVENT = 'switchboard_post';

export const ourMetadata = (key: string) => ({ event_type: METADATA_EVENT, event_payload: { key } });

// Slack's types say `{}` for the payload: it is our own JSON
const keyOf = (m: { metadata?: { event_type?: string; event_payload?: object } }): unknown =>
  m.metadata?.event_type === METADATA_EVENT ? (m.metadata.event_payload as { key?: unknown } | undefined)?.key : undefined;

/** Our post with `key` since `since`, in the channel or in the thread under `threadTs`. */
export async function findOurPost(client: webApi.WebClient, channel: string, key: string, since: Date, threadTs?: string): Promise<string | undefined> {
  const oldest = String(Math.floor(since.getTime() / 1000) - 1);
  const page = threadTs
    ? await client.conversations.replies({ channel, ts: threadTs, oldest, include_all_metadata: true, limit: 200 })
    : await client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 });
  return page.messages?.find((m) => keyOf(m) === key)?.ts;
}

/** Whether the message at `ts` is one of our conversation cards. */
export async function isCard(client: webApi.WebClient, channel: string, ts: string): Promise<boolean> {
  const page = await client.conversations.history({ channel, oldest: ts, latest: ts, inclusive: true, limit: 1, include_all_metadata: true });
  const key = page.messages?.[0] ? keyOf(page.messages[0]) : undefined;
  return typeof key === 'string' && key.startsWith('conversation:');
}
