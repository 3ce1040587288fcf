/** The e-mail channel: each mailbox a timeline read by UID (IMAP), replies by SMTP, findSent() by our Message-ID. */
import { ValidationError } from '../../src/domain/errors';
import type { Connector, Cursor, InboundMessage, OutboundReply, PullResult, SendResult } from '../../src/domain/message';
import { openImap, type ImapSession, type ReadFrom } from './client';
import { parseMail, type ParsedInbound } from './parse';
import { createMailer, outgoingMail, replyMessageId } from './send';
import type { EmailLookups, ImapSettings, SmtpSettings } from './types';

export type { EmailLookups, ImapSettings, RepliedMail, SmtpSettings } from './types';

export interface EmailConnectorOptions {
  /** our name for the account, written to InboundMessage.account */
  accountId: string;
  /** the account's own address: From of our replies */
  address: string;
  imap: ImapSettings;
  smtp: SmtpSettings;
  /** default ['INBOX'] */
  mailboxes?: string[];
  /** a department hint for every new conversation of this account (jobs@ → hr) */
  department?: string;
  /** where findSent looks for a reply besides INBOX; default: the mailbox the server flags \Sent */
  sentMailbox?: string;
  lookups?: EmailLookups;
  /** mails per mailbox per poll (default 200); the rest come with the next poll */
  batchSize?: number;
  /** a mailbox never read before: only its newest this many mails (default 50) */
  firstPollMails?: number;
}

export interface EmailConnector extends Connector {
  readonly kind: 'email';
  readonly timelines: readonly string[];
  pullTimeline(name: string, cursor: Cursor): Promise<PullResult>;
  pull(cursor: Cursor | null): Promise<PullResult>;
  findSent(reply: OutboundReply, since: Date): Promise<SendResult | null>;
  /** the mailbox a timeline reads */
  mailboxOf(timeline: string): string;
  readonly imap: ImapSettings;
  close(): Promise<void>;
}

/** A timeline name is stored as a field name: no dots (INBOX.Jobs) and no '$'. */
export const timelineOf = (mailbox: string): string => mailbox.replace(/[%.$]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const mailboxFrom = (timeline: string): string => decodeURIComponent(timeline);

const cursorKeys = (timeline: string) => ({ validity: `${timeline}:uidValidity`, uid: `${timeline}:lastUid` });

function intOption(name: string, value: number | undefined, fallback: number, max: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ValidationError(`e-mail connector: ${name} must be an integer from 1 to ${max}`, { [name]: value });
  return n;
}

export function createEmailConnector(options: EmailConnectorOptions): EmailConnector {
  const mailboxes = options.mailboxes ?? ['INBOX'];
  const timelines = mailboxes.map(timelineOf);
  const batchSize = intOption('batchSize', options.batchSize, 200, 10_000);
  const firstPollMails = intOption('firstPollMails', options.firstPollMails, 50, 10_000);
  const mailer = createMailer(options.smtp);
  let session: Promise<ImapSession> | undefined;

  // one IMAP connection per connector, opened when needed and dropped after any failure
  const imap = async (): Promise<ImapSession> => {
    const open = session && (await session.catch(() => undefined));
    if (open?.usable) return open;
    session = openImap(options.imap);
    session.catch(() => (session = undefined));
    return session;
  };
  const drop = async (): Promise<void> => {
    const s = session;
    session = undefined;
    await (await s?.catch(() => undefined))?.close().catch(() => undefined);
  };

  /** Threads each mail: a stored mail it names (the customer's or our reply) decides, else the root of its chain. */
  const threaded = async (parsed: ParsedInbound[]): Promise<InboundMessage[]> => {
    const named = [...new Set(parsed.flatMap((p) => p.chain))];
    const known = named.length && options.lookups ? await options.lookups.threadKeys(options.accountId, named) : new Map<string, string>();
    return parsed.map(({ message, chain }) => {
      const stored = chain.map((id) => known.get(id)).find((k) => k !== undefined);
      return stored ? { ...message, threadKey: stored } : message;
    });
  };

  const pullTimeline = async (name: string, cursor: Cursor): Promise<PullResult> => {
    if (!timelines.includes(name)) throw new ValidationError(`e-mail connector: no mailbox "${name}" (there are ${mailboxes.join(', ')})`);
    const mailbox = mailboxFrom(name);
    const keys = cursorKeys(name);
    const storedValidity = cursor[keys.validity];
    const lastUid = Number(cursor[keys.uid] ?? '0');
    // same UIDVALIDITY: after the last UID; changed: the whole mailbox again (Message-IDs dedupe it); new: its newest mails
    const from = (uidValidity: string): ReadFrom =>
      storedValidity === undefined ? { newest: firstPollMails } : storedValidity === uidValidity && lastUid > 0 ? { fromUid: lastUid + 1 } : { fromUid: 1 };
    let read;
    try {
      read = await (await imap()).readMailbox(mailbox, from, batchSize);
    } catch (err) {
      await drop();
      throw err;
    }
    const ctx = { account: options.accountId, address: options.address, mailbox, uidValidity: read.uidValidity, department: options.department };
    const parsed = await Promise.all(read.mails.map((m) => parseMail(m, ctx)));
    // our own mails (a copy to ourselves) are already stored as the outbound replies they were
    const messages = await threaded(parsed.filter((p) => !p.fromSelf));
    const last = read.mails[read.mails.length - 1]?.uid;
    const kept = storedValidity === read.uidValidity ? lastUid : 0;
    return { messages, cursor: { [keys.validity]: read.uidValidity, ...(last || kept ? { [keys.uid]: String(last ?? kept) } : {}) } };
  };

  return {
    kind: 'email',
    timelines,
    imap: options.imap,
    mailboxOf: mailboxFrom,
    pullTimeline,

    async pull(cursor) {
      let merged: Cursor = { ...cursor };
      const messages: InboundMessage[] = [];
      for (const name of timelines) {
        const part = await pullTimeline(name, merged);
        messages.push(...part.messages);
        merged = { ...merged, ...part.cursor };
      }
      return { messages, cursor: merged };
    },

    async send(reply) {
      const replied = reply.inReplyToExternalId && options.lookups ? await options.lookups.replied(options.accountId, reply.inReplyToExternalId) : null;
      const mail = outgoingMail(reply, options.address, replied);
      await mailer.send(mail);
      return { externalId: mail.messageId };
    },

    // SMTP has no lookup: the server's Sent folder (or INBOX, for a copy to ourselves) by our Message-ID, when IMAP answers
    async findSent(reply) {
      const messageId = replyMessageId(reply.idempotencyKey, options.address);
      try {
        const s = await imap();
        const sent = options.sentMailbox ?? (await s.sentMailbox());
        return (await s.hasHeader([...new Set([...(sent ? [sent] : []), 'INBOX'])], 'message-id', messageId)) ? { externalId: messageId } : null;
      } catch {
        await drop();
        // the same Message-ID goes out again: a receiving client shows one mail for both
        return null;
      }
    },

    async close() {
      await drop();
      mailer.close();
    },
  };
}
