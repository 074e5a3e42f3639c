// Params the voice nodes share (Make Call, Say/Play, Gather, Record, Dial, Hang up). Browser-safe.
import { z } from 'zod'
import { text } from '../params'

export const callIdParam = () =>
  text().default('').describe('The call to act on (empty: the item\'s callId, as a Make Call step or the On call received trigger put it there)').meta({ ui: 'expression' })

/** Twilio's text-to-speech voices (Polly and Google voices are named as Twilio names them, e.g. "Polly.Joanna"). */
export const sayVoiceParam = () =>
  z.string().trim().max(60).regex(/^[A-Za-z0-9._-]*$/, 'A voice name such as alice, man, woman or Polly.Joanna').default('alice').describe('Voice: alice, man, woman, or a Polly/Google voice such as Polly.Joanna')

export const languageParam = () =>
  z.string().trim().max(12).regex(/^([a-z]{2,3}(-[A-Za-z]{2,4})?)?$/, 'A language tag such as en-US or fr-FR').default('en-US').describe('Language of the speech, e.g. en-US, fr-FR, de-DE')

/** Spoken text: plain text only (it becomes the text of a <Say>; markup is escaped, never interpreted). */
export const spokenText = (description: string) => text().default('').refine((v) => v.length <= 4000, 'At most 4,000 characters').describe(description).meta({ ui: 'textarea' })

export const waitSecondsParam = (fallback: number, what: string) =>
  z.coerce.number().int().min(1).max(600).default(fallback).describe(`How long the step waits for ${what}, in seconds (at most 600: the step holds a worker slot)`)
