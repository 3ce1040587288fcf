import { blockSender } from '../actions/screening';
import { SlaClock } from '../sla/clock';
import { cliActor, unblockSenderAudited } from '../audit/admin';
import { listBlockedSenders, type SenderRef } from '../store/repositories/blocked-senders';
import { withDatabase } from './database';
import { cardRedrawer } from './slack-cards';
import { printTable } from './table';

/** Blocks a sender; their open conversations lose their SLA clocks, and with SLACK_BOT_TOKEN set their cards are redrawn. */
export async function blockFromCli(sender: SenderRef & { reason?: string }): Promise<void> {
  // the clock only takes clocks away here, which needs no department policy
  const result = await withDatabase((config) => blockSender(sender, { id: cliActor(), name: 'the command line' }, { events: new SlaClock(() => undefined), effects: cardRedrawer(config) }));
  const who = [sender.authorId && `id ${sender.authorId}`, sender.handle && `handle ${sender.handle}`].filter(Boolean).join(', ');
  process.stdout.write(`${result.sender.id}\n`);
  process.stderr.write(`${result.created ? 'blocked' : 'already blocked'}: ${sender.channel} ${who}; ${result.conversations} open conversation(s) marked\n`);
}

export async function unblockFromCli(idOrHandle: string): Promise<void> {
  const result = await withDatabase(() => unblockSenderAudited(idOrHandle, cliActor()));
  if (result === 'not_found') throw new Error(`no blocked sender with id or handle ${idOrHandle} (see npm run cli -- sender list)`);
  if (result === 'ambiguous') throw new Error(`more than one blocked sender has the handle ${idOrHandle}: give its id or channel:handle`);
  process.stderr.write(`unblocked ${result.channel} ${result.handle ?? result.authorId ?? ''}; their new messages are routed again\n`);
}

export async function listFromCli(json: boolean): Promise<void> {
  const senders = await withDatabase(() => listBlockedSenders());
  if (json) {
    process.stdout.write(`${JSON.stringify(senders)}\n`);
    return;
  }
  const rows = [['ID', 'CHANNEL', 'AUTHOR ID', 'HANDLE', 'BY', 'SINCE', 'REASON']];
  for (const s of senders) rows.push([s.id, s.channel, s.authorId ?? '-', s.handle ?? '-', s.by, s.createdAt?.toISOString().slice(0, 16).replace('T', ' ') ?? '-', s.reason ?? '']);
  printTable(rows);
}
