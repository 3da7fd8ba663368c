/** E-mail over SMTP with nodemailer; the Message-ID is the idempotency key, so a resend is recognisable. */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Channel } from '../../core/notify/schema.js';
import { ChannelError, type Sender, type SenderDeps, secret } from './types.js';

export function emailSender(c: Extract<Channel, { type: 'email' }>, deps: SenderDeps): Sender {
  let transport: Transporter | undefined;
  const get = () => {
    const pass = secret(deps, c.passwordEnv, 'SMTP password');
    transport ??= nodemailer.createTransport({
      host: c.host,
      port: c.port,
      secure: c.secure ?? false,
      ...(c.user ? { auth: { user: c.user, pass: pass ?? '' } } : {}),
      connectionTimeout: deps.timeoutMs,
      greetingTimeout: deps.timeoutMs,
      socketTimeout: deps.timeoutMs,
    });
    return transport;
  };
  return async (req) => {
    try {
      await get().sendMail({
        from: c.from,
        to: req.recipient,
        subject: req.message.title,
        text: req.message.text,
        // RFC 5322 §3.6.4: a unique id per message; the same message retried keeps it.
        messageId: `<${req.idempotencyKey.replace(/[^A-Za-z0-9.:-]/g, '-')}@waterline>`,
        headers: { 'X-Waterline-Alert': req.alert.id },
      });
    } catch (e) {
      throw new ChannelError(`SMTP: ${(e as Error).message}`, { cause: e });
    }
  };
}
