/**
 * One outbox reconciliation sweep (src/outbox/reconcile.ts findUnfinished) over a store of N conversations, each
 * with its card, a posted follow-up and a sent reply, all inside the search window, plus a few unfinished items.
 * Prints how long a sweep takes on the embedded database. Usage: npm run bench:reconcile [-- N]
 */
import mongoose, { Types } from 'mongoose';
import { findUnfinished } from '../../src/outbox/reconcile';
import { onBenchStore } from './store';

const N = Number(process.argv[2] ?? 10_000);
const UNFINISHED = 20;
const HOUR = 3_600_000;

function documents(i: number, now: number) {
  const at = new Date(now - (i % 48) * HOUR - HOUR);
  const conversationId = new Types.ObjectId();
  const first = new Types.ObjectId();
  // a few lost their card, a few their follow-up's thread line, a few their reply's job
  const lostCard = i < UNFINISHED;
  const lostLine = i >= UNFINISHED && i < 2 * UNFINISHED;
  const lostReply = i >= 2 * UNFINISHED && i < 3 * UNFINISHED;
  const card = { channel: 'C1', ts: `${i}.000100` };
  const base = { channel: 'webhook', account: 'bench', conversationId, kind: 'mention', author: { name: 'Jo' }, sentAt: at, createdAt: at, updatedAt: at };
  return {
    conversation: {
      _id: conversationId, channel: 'webhook', account: 'bench', threadKey: `t-${i}`, kind: 'mention', department: 'support',
      routing: { method: 'model', label: 'support', confidence: 0.9 }, status: 'open', firstMessageAt: at, lastMessageAt: at,
      messageCount: 3, firstMessageId: first, createdAt: at, updatedAt: at, ...(lostCard ? {} : { slack: card }),
    },
    messages: [
      { ...base, _id: first, externalId: `m-${i}-1`, direction: 'inbound', text: 'my thermostat is broken', ...(lostCard ? {} : { slack: card }) },
      { ...base, _id: new Types.ObjectId(), externalId: `m-${i}-2`, direction: 'inbound', text: 'still broken', ...(lostCard || lostLine ? {} : { slack: { channel: 'C1', ts: `${i}.000200` } }) },
      {
        ...base, _id: new Types.ObjectId(), externalId: `slack:C1:${i}.000300`, direction: 'outbound', text: 'on it',
        slack: { channel: 'C1', ts: `${i}.000300`, userId: 'U1' }, delivery: lostReply ? { state: 'queued', attempts: 0 } : { state: 'sent', attempts: 1, sentAt: at },
      },
    ],
  };
}

async function main() {
  await onBenchStore(async () => {
    const now = Date.now();
    const conversations = mongoose.connection.db!.collection('conversations');
    const messages = mongoose.connection.db!.collection('messages');
    let t = performance.now();
    for (let i = 0; i < N; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, N - i) }, (_, j) => documents(i + j, now));
      await conversations.insertMany(batch.map((b) => b.conversation));
      await messages.insertMany(batch.flatMap((b) => b.messages));
    }
    console.log(`stored ${N} conversations and ${3 * N} messages in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    for (let run = 1; run <= 3; run++) {
      t = performance.now();
      const found = await findUnfinished({ now: new Date(), graceMs: 60_000, maxAgeMs: 72 * HOUR, staleMs: 5 * 60_000, slack: { hasChannel: () => true } });
      const counts = `cards ${found.cards.length}, follow-ups ${found.followUps.length}, replies ${found.replies.length}`;
      console.log(`sweep ${run}: ${(performance.now() - t).toFixed(0)} ms (${counts})`);
    }
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
