/** Shared wiring for the e-mail tests: dovecot, the SMTP receiver, a connector on both, and mails to deliver. */
import { createEmailConnector, type EmailConnector, type EmailConnectorOptions } from '../../connectors/email';
import { storeLookups } from '../../src/runtime/email';
import { startImapServer, type ImapServer } from '../support/imap-server';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';

export const SUPPORT = 'support@acme.test';
export const JOBS = 'jobs@acme.test';

export interface MailWorld {
  imap: ImapServer;
  smtp: SmtpReceiver;
  connector(overrides?: Partial<EmailConnectorOptions>): EmailConnector;
  stop(): Promise<void>;
}

export async function startMailWorld(): Promise<MailWorld> {
  const imap = await startImapServer([SUPPORT, JOBS]);
  const smtp = await startSmtpReceiver();
  const made: EmailConnector[] = [];
  return {
    imap,
    smtp,
    connector(overrides = {}) {
      const address = overrides.address ?? SUPPORT;
      const c = createEmailConnector({
        accountId: address,
        address,
        imap: imap.settings(address),
        smtp: { host: smtp.host, port: smtp.port, secure: false, user: address, pass: 'smtp-pass' },
        lookups: storeLookups,
        ...overrides,
      });
      made.push(c);
      return c;
    },
    async stop() {
      for (const c of made) await c.close();
      await smtp.stop();
      await imap.stop();
    },
  };
}

let counter = 0;

export interface MailSpec {
  from?: string;
  fromName?: string;
  to?: string;
  subject?: string;
  text?: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  attachment?: { name: string; content: string };
}

/** A raw RFC 5322 mail; a multipart/mixed one with an attachment, text/html only when `html` and no `text`. */
export function mail(spec: MailSpec): { raw: string; messageId: string } {
  counter += 1;
  const messageId = spec.messageId ?? `<m${counter}.${Date.now()}@customer.test>`;
  const headers = [
    `From: ${spec.fromName ?? 'Anna Kunde'} <${spec.from ?? 'anna@customer.test'}>`,
    `To: ${spec.to ?? SUPPORT}`,
    `Subject: ${spec.subject ?? 'Question'}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${messageId}`,
    ...(spec.inReplyTo ? [`In-Reply-To: ${spec.inReplyTo}`] : []),
    ...(spec.references ? [`References: ${spec.references.join(' ')}`] : []),
    'MIME-Version: 1.0',
  ];
  const body = spec.html !== undefined && spec.text === undefined
    ? { type: 'text/html; charset=utf-8', content: spec.html }
    : { type: 'text/plain; charset=utf-8', content: spec.text ?? 'Hello, my thermostat is broken.' };
  if (!spec.attachment) return { raw: [...headers, `Content-Type: ${body.type}`, '', body.content, ''].join('\r\n'), messageId };
  const b = 'sb-boundary';
  const raw = [
    ...headers,
    `Content-Type: multipart/mixed; boundary="${b}"`,
    '',
    `--${b}`,
    `Content-Type: ${body.type}`,
    '',
    body.content,
    `--${b}`,
    `Content-Type: application/pdf; name="${spec.attachment.name}"`,
    `Content-Disposition: attachment; filename="${spec.attachment.name}"`,
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(spec.attachment.content).toString('base64'),
    `--${b}--`,
    '',
  ].join('\r\n');
  return { raw, messageId };
}
