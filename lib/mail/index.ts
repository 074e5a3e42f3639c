// The studio's own email: password resets and invitations, sent through AUTERITY_SMTP_URL. With no SMTP configured
// nothing is sent and `sent` is false: the caller shows the link to the admin (invites) or logs it to the server log
// for the operator (resets), and says so. The message text is plain; names and user text are never HTML.
import nodemailer, { type Transporter } from 'nodemailer'
import { env } from '../env'

export interface Mail {
  to: string
  subject: string
  text: string
}

let transport: { url: string; t: Transporter } | undefined

function transporter(url: string): Transporter {
  if (transport?.url !== url) {
    transport?.t.close()
    transport = { url, t: nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }) }
  }
  return transport.t
}

/** Sends one email; `sent: false` when no SMTP server is configured. A server that refuses throws. */
export async function sendMail(mail: Mail): Promise<{ sent: boolean }> {
  const { smtpUrl, from } = env().mail
  if (!smtpUrl) return { sent: false }
  await transporter(smtpUrl).sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text })
  return { sent: true }
}

/** Tests and shutdown. */
export function closeMail(): void {
  transport?.t.close()
  transport = undefined
}
