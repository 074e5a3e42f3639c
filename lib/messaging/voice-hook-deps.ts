// What the voice hooks run with in the web process, from lib/env and the app's shared clients. Server only.
import { webServices } from '../composition/web-services'
import { getDecryptedCredential } from '../credentials'
import { env } from '../env'
import { createTcpGuard } from '../net/tcp-guard'
import type { VoiceHookDeps } from './voice-legs'

export function voiceHookDeps(): VoiceHookDeps {
  const web = webServices()
  return { prisma: web.prisma, credential: getDecryptedCredential, files: web.files, guard: createTcpGuard(env().http) }
}

/** An incoming call also starts a run: the queue producer and realtime emitter come along. */
export function incomingCallDeps() {
  return { ...voiceHookDeps(), starts: webServices().app, publicUrl: env().publicUrl }
}

/** Answers TwiML as Twilio expects it. */
export const twimlResponse = (xml: string) => new Response(xml, { headers: { 'content-type': 'text/xml; charset=utf-8', 'cache-control': 'no-store' } })
