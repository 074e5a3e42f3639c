// What the voice hooks run with in the web process, from lib/env and the app's shared clients. Server only.
import { getDecryptedCredential } from '../credentials'
import { env } from '../env'
import { createTcpGuard } from '../net/tcp-guard'
import { appServices } from '../services/app'
import { webFiles } from '../services/files'
import type { VoiceHookDeps } from './voice-legs'

export function voiceHookDeps(): VoiceHookDeps {
  return { prisma: appServices().prisma, credential: getDecryptedCredential, files: webFiles(), guard: createTcpGuard(env().http) }
}

/** Answers TwiML as Twilio expects it. */
export const twimlResponse = (xml: string) => new Response(xml, { headers: { 'content-type': 'text/xml; charset=utf-8', 'cache-control': 'no-store' } })
