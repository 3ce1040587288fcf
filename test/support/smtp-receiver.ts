/** A real SMTP server (the smtp-server package) on a free loopback port that records every mail it is sent. */
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../scripts/db/net';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  subject?: string;
  text?: string;
  html?: string;
}

export interface SmtpReceiver {
  host: string;
  port: number;
  received: ReceivedMail[];
  /** the next `times` mails are taken in, recorded, then answered with this SMTP error (the sender cannot tell they arrived) */
  failAfterData(code: number, times?: number): void;
  /** logins are refused from now on */
  refuseLogins(): void;
  stop(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  let failures: { code: number; left: number } | undefined;
  let refuse = false;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (refuse) return callback(new Error('535 authentication failed'));
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (mail) => {
            const refs = mail.references;
            received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw,
              messageId: mail.messageId,
              inReplyTo: mail.inReplyTo,
              references: Array.isArray(refs) ? refs : refs ? [refs] : [],
              subject: mail.subject,
              text: mail.text,
              html: typeof mail.html === 'string' ? mail.html : undefined,
            });
            if (failures && failures.left > 0) {
              failures.left -= 1;
              return callback(Object.assign(new Error('try again later'), { responseCode: failures.code }));
            }
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port,
    received,
    failAfterData: (code, times = 1) => {
      failures = { code, left: times };
    },
    refuseLogins: () => {
      refuse = true;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
