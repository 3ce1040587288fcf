/** Replies out by SMTP (nodemailer): threading headers, text and HTML, and a Message-ID a retry repeats. */
import nodemailer from 'nodemailer';
import { AppError, ConnectorAuthError, ConnectorUnavailableError, ValidationError } from '../../src/domain/errors';
import type { OutboundReply } from '../../src/domain/message';
import type { RepliedMail, SmtpSettings } from './types';

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo?: string;
  references: string[];
}

/** Our reply's Message-ID: derived from the reply's idempotency key, so every attempt at one reply carries the same. */
export const replyMessageId = (idempotencyKey: string, address: string): string => `<${idempotencyKey}@${address.split('@')[1] ?? 'switchboard.invalid'}>`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** The agent's words as HTML: escaped, paragraphs and line breaks kept. */
export function htmlOf(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
  return escaped.split(/\n{2,}/).map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`).join('\n');
}

export const replySubject = (subject: string | undefined): string => (!subject ? 'Re: your message' : /^(re|aw|sv|antw):/i.test(subject) ? subject : `Re: ${subject}`);

/** What one reply sends: to the customer (or their Reply-To), answering their mail within its chain. */
export function outgoingMail(reply: OutboundReply, address: string, replied: RepliedMail | null): OutgoingMail {
  const to = replied?.replyTo ?? reply.recipientId;
  if (!to) throw new ValidationError('An e-mail reply needs the customer\'s address (recipientId)');
  if (reply.text.trim().length === 0) throw new ValidationError('The reply is empty');
  const parent = reply.inReplyToExternalId;
  // the chain the customer's mail named, then that mail; without its headers, the thread's root
  const chain = replied?.references.length ? replied.references : [reply.threadKey].filter((k) => k.startsWith('<'));
  const references = [...new Set([...chain, ...(parent ? [parent] : [])])];
  return { from: address, to, subject: replySubject(replied?.subject), text: reply.text, messageId: replyMessageId(reply.idempotencyKey, address), inReplyTo: parent, references };
}

/** Our error for a nodemailer one: a refused login, a server or network that may come back, or a refusal. */
export function toSendError(err: unknown, host: string): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as Error & { code?: string; responseCode?: number; response?: string };
  if (e.code === 'EAUTH') return new ConnectorAuthError(`SMTP server ${host} refused the login: ${e.response ?? e.message}`);
  if (e.responseCode && e.responseCode >= 500) return new ValidationError(`SMTP server ${host} refused the mail (${e.responseCode}): ${e.response ?? e.message}`);
  if (e.responseCode && e.responseCode >= 400) return new ConnectorUnavailableError(`SMTP server ${host} deferred the mail (${e.responseCode}): ${e.response ?? e.message}`);
  if (e.code && /^(ECONNECTION|ETIMEDOUT|ESOCKET|EDNS|ECONNREFUSED|ECONNRESET|EPROTOCOL)$/.test(e.code)) return new ConnectorUnavailableError(`SMTP server ${host} unreachable: ${e.message}`);
  return new AppError('connector_refused', `SMTP: ${e.message}`);
}

export function createMailer(s: SmtpSettings): Mailer {
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    ...(s.user && s.pass ? { auth: { user: s.user, pass: s.pass } } : {}),
    connectionTimeout: s.timeoutMs ?? 30_000,
    greetingTimeout: s.timeoutMs ?? 30_000,
    socketTimeout: s.timeoutMs ?? 60_000,
  });
  return {
    async send(mail) {
      try {
        await transport.sendMail({ ...mail, html: htmlOf(mail.text) });
      } catch (err) {
        throw toSendError(err, s.host);
      }
    },
    close: () => transport.close(),
  };
}
