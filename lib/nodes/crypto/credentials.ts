// The credentials the Crypto node signs and authenticates with: a shared secret for HMAC, PEM keys for signatures.
import { z } from 'zod'
import { defineCredentialKind, secret } from '../define'

export const cryptoSecret = defineCredentialKind({ name: 'cryptoSecret', label: 'HMAC secret', schema: z.object({ secret: secret('Secret') }) })

const pem = (label: string, isSecret: boolean) =>
  z.string().trim().optional().meta({ label, secret: isSecret, ui: 'textarea' })

export const cryptoKey = defineCredentialKind({
  name: 'cryptoKey',
  label: 'Signing key (PEM)',
  schema: z
    .object({
      privateKey: pem('Private key (PEM, to sign)', true),
      publicKey: pem('Public key (PEM, to verify; derived from the private key when empty)', false),
    })
    .refine((k) => Boolean(k.privateKey || k.publicKey), { message: 'Give a private key, a public key or both', path: ['privateKey'] }),
})
