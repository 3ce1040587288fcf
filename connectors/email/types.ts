/** What the e-mail connector is given: plain settings, and the store's answers it needs for threading and replies. */
export interface ImapSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  timeoutMs?: number;
}

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  timeoutMs?: number;
}

/** The mail a reply answers, as it was stored. */
export interface RepliedMail {
  subject?: string;
  /** its References, oldest first */
  references: string[];
  /** where the customer asked for answers to go (Reply-To) */
  replyTo?: string;
}

/** Lookups in what is already stored (src/store/repositories/email-threads.ts); a connector never imports the store. */
export interface EmailLookups {
  /** referenced Message-ID → the threadKey of the conversation holding it (a mail of the customer's or one of our replies) */
  threadKeys(account: string, messageIds: string[]): Promise<Map<string, string>>;
  /** the stored mail with this Message-ID in the account, or null */
  replied(account: string, messageId: string): Promise<RepliedMail | null>;
}

/** What we keep of a mail beside its text (Message.rawJson): the headers a reply needs. */
export interface MailRaw {
  messageId: string;
  references: string[];
  inReplyTo?: string;
  replyTo?: string;
  mailbox: string;
  uid: number;
}
