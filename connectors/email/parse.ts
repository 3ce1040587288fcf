/** A fetched mail as the pipeline's InboundMessage: mailparser reads the MIME, this decides text, thread and author. */
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { Attachment, InboundMessage } from '../../src/domain/message';
import type { FetchedMail } from './client';
import { trimReply } from './trim';
import type { MailRaw } from './types';

export interface ParseContext {
  account: string;
  /** the account's own address: a mail from it is one of ours seen again */
  address: string;
  mailbox: string;
  uidValidity: string;
  department?: string;
}

/** A parsed mail before its thread is known: the ids it names, oldest first. */
export interface ParsedInbound {
  message: InboundMessage;
  /** References then In-Reply-To, oldest first, without duplicates */
  chain: string[];
  fromSelf: boolean;
}

const MESSAGE_ID = /<[^<>\s]+>/g;

/** Message-IDs as written in References / In-Reply-To: each in angle brackets. */
export function messageIds(value: string | string[] | undefined): string[] {
  const all = (Array.isArray(value) ? value : value ? [value] : []).flatMap((v) => v.match(MESSAGE_ID) ?? (v.trim() ? [`<${v.trim()}>`] : []));
  return [...new Set(all)];
}

const firstAddress = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value[0];

function attachmentsOf(mail: ParsedMail): Attachment[] {
  // inline images of an HTML mail (related parts) are its decoration, not something the customer sent
  return mail.attachments.filter((a) => !a.related).map((a) => ({ name: a.filename ?? 'unnamed', size: a.size, contentType: a.contentType }));
}

export async function parseMail(fetched: FetchedMail, ctx: ParseContext): Promise<ParsedInbound> {
  const mail = await simpleParser(fetched.source, { skipImageLinks: true, skipTextToHtml: true });
  const from = firstAddress(mail.from);
  const address = from?.address?.toLowerCase();
  const subject = mail.subject?.trim() || undefined;
  // mailparser turns an HTML-only mail's html into text itself
  const body = (mail.text ?? '').trim();
  const ownId = messageIds(mail.messageId)[0];
  const externalId = ownId ?? `<${ctx.uidValidity}.${fetched.uid}.${encodeURIComponent(ctx.mailbox)}@${ctx.account}.switchboard.invalid>`;
  const references = messageIds(mail.references);
  const inReplyTo = messageIds(mail.inReplyTo)[0];
  const chain = [...new Set([...references, ...(inReplyTo ? [inReplyTo] : [])])].filter((id) => id !== externalId);
  const replyTo = firstAddress(mail.replyTo)?.address?.toLowerCase();
  const raw: MailRaw = { messageId: externalId, references, ...(inReplyTo ? { inReplyTo } : {}), ...(replyTo && replyTo !== address ? { replyTo } : {}), mailbox: ctx.mailbox, uid: fetched.uid };
  const attachments = attachmentsOf(mail);
  const trimmed = trimReply(body);
  const message: InboundMessage = {
    channel: 'email',
    account: ctx.account,
    externalId,
    // the root of the chain; a lookup of stored mails may name another (src/store/repositories/email-threads.ts)
    threadKey: chain[0] ?? externalId,
    kind: 'dm',
    author: { ...(address ? { id: address, profileUrl: `mailto:${address}` } : {}), name: from?.name?.trim() || address || undefined },
    // an empty mail (attachments only) still needs words to store and show
    text: body || subject || `(${attachments.map((a) => a.name).join(', ') || 'empty'})`,
    classifyText: [subject, trimmed].filter(Boolean).join('\n') || body,
    createdAt: mail.date ?? fetched.internalDate ?? new Date(),
    ...(inReplyTo ? { inReplyToExternalId: inReplyTo } : {}),
    ...(ctx.department ? { departmentHint: ctx.department } : {}),
    ...(subject ? { subject } : {}),
    ...(attachments.length ? { attachments } : {}),
    raw,
  };
  return { message, chain, fromSelf: address !== undefined && address === ctx.address.toLowerCase() };
}
