import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { OutboxRepository } from './outbox-repository.js';

export interface MailMessage {
  /** What the message is for, e.g. 'invitation', 'password_reset' (shown in the outbox). */
  kind: string;
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** True when messages really leave (SMTP configured); false when they are only kept in the outbox. */
  readonly delivers: boolean;
  /** Sends (or keeps) one message; resolves true when it was handed to the SMTP server, or kept without SMTP. */
  send(message: MailMessage): Promise<boolean>;
  /** Closes pooled SMTP connections (at shutdown). */
  close(): void;
}

/**
 * Pooled connections (reminders send a few mails at a time), and timeouts well under a minute so that one slow
 * server cannot hold a send for long (nodemailer's socket default is ten minutes): the reminder lease and a graceful
 * shutdown rely on sends ending. Options written in SMTP_URL's query string win.
 */
const TRANSPORT_DEFAULTS = {
  pool: 'true',
  maxConnections: '4',
  connectionTimeout: '15000',
  greetingTimeout: '15000',
  socketTimeout: '30000',
} as const;

function withTransportDefaults(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [key, value] of Object.entries(TRANSPORT_DEFAULTS)) {
    if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  }
  return url.toString();
}

/**
 * Mail over SMTP_URL with nodemailer. Without SMTP every message is kept in the outbox (body included, for an
 * admin to deliver by hand) and written to the log. With SMTP the outbox records only who, what and whether it
 * went: the links inside are secrets that must not sit in the database.
 */
export function createMailer(options: {
  smtpUrl: string | undefined;
  from: string;
  outbox: OutboxRepository;
  clock: Clock;
  logger: Logger;
}): Mailer {
  const transport = options.smtpUrl
    ? nodemailer.createTransport(withTransportDefaults(options.smtpUrl))
    : null;
  const keep = (
    message: MailMessage,
    status: 'kept' | 'sent' | 'failed',
    body: string | null,
    error: string | null,
  ) =>
    options.outbox.insert({
      createdAt: options.clock.now().toISOString(),
      kind: message.kind,
      to: message.to,
      subject: message.subject,
      body,
      status,
      error,
    });
  return {
    delivers: transport !== null,
    close: () => transport?.close(),
    async send(message) {
      if (!transport) {
        await keep(message, 'kept', message.text, null);
        options.logger.info(
          { kind: message.kind, to: message.to, subject: message.subject },
          'mail kept in outbox (no SMTP_URL)',
        );
        return true;
      }
      try {
        await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
        });
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        await keep(message, 'failed', null, error.slice(0, 500));
        options.logger.warn({ kind: message.kind, to: message.to, error }, 'mail could not be sent');
        return false;
      }
      // After the catch: the mail has left, so a failure to record it must not report it as not sent.
      try {
        await keep(message, 'sent', null, null);
      } catch (err) {
        options.logger.error(
          { err, kind: message.kind, to: message.to },
          'mail sent but not recorded in the outbox',
        );
      }
      return true;
    },
  };
}
