// The official `twilio` SDK as the nodes and hooks use it: a client whose requests go to the credential's base URL
// when one is set (tests' local server, a regional edge, a proxy) after the outbound guard vetted the host, Twilio's
// REST errors as typed NodeErrors, and X-Twilio-Signature checks with the SDK's own validator. Server only. The SDK
// (~20 MB with axios) is imported on the first send or signature check, not when a process starts.
import type twilio from 'twilio'
import type { Twilio } from 'twilio'
import { NodeError } from '../engine/types'
import { lazy } from '../lazy'
import type { TcpGuard } from '../net/tcp-guard'

export interface TwilioCredential {
  accountSid: string
  authToken: string
  /** Replaces https://*.twilio.com in every request (tests point it at tests/fakes/twilio.ts). */
  baseUrl?: string
}

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0]

/** The SDK, and its request client made to go where the credential says (a class extending the SDK's). */
export const loadTwilio = lazy(async () => {
  const { default: sdk } = await import('twilio')
  /** Sends the SDK's requests to `baseUrl` (when set), each target vetted by the outbound policy first. */
  class GuardedRequestClient extends sdk.RequestClient {
    constructor(private readonly baseUrl: string | undefined, private readonly guard: TcpGuard | undefined) {
      super({ timeout: 30_000 })
    }

    override async request(opts: RequestOptions): Promise<any> {
      const uri = this.baseUrl ? opts.uri.replace(/^https:\/\/[^/]+/, this.baseUrl.replace(/\/+$/, '')) : opts.uri
      const u = new URL(uri)
      await this.guard?.vet(u.hostname, Number(u.port || (u.protocol === 'https:' ? 443 : 80)), 'credential.baseUrl')
      return super.request({ ...opts, uri } as RequestOptions)
    }
  }
  return { sdk, GuardedRequestClient }
})

export async function twilioClient(cred: TwilioCredential, guard?: TcpGuard): Promise<Twilio> {
  if (!cred?.accountSid || !cred.authToken) throw new NodeError('The Twilio credential needs an account SID and an auth token', { code: 'INVALID_CREDENTIAL', field: 'credential' })
  const { sdk, GuardedRequestClient } = await loadTwilio()
  return sdk(cred.accountSid, cred.authToken, { httpClient: new GuardedRequestClient(cred.baseUrl, guard) })
}

/** Twilio error codes that mean "this recipient will not get it", not "try again". */
export const TWILIO_UNSUBSCRIBED = 21610
export const TWILIO_INVALID_TO = 21211

/** A Twilio REST error (or a network failure) as a NodeError: 429 and 5xx are retryable, 4xx are not. */
export function twilioError(err: unknown, field: string, item?: number): NodeError {
  if (err instanceof NodeError) return err
  const e = err as { status?: number; code?: number; message?: string; moreInfo?: string }
  const where = item === undefined ? '' : `Item ${item}: `
  if (typeof e.status === 'number') {
    const retryable = e.status === 429 || e.status >= 500
    return new NodeError(`${where}Twilio refused the request (${e.code ?? e.status}): ${e.message ?? 'no message'}`, {
      code: e.code ? `TWILIO_${e.code}` : `TWILIO_HTTP_${e.status}`,
      field,
      retryable,
      details: { status: e.status, twilioCode: e.code, moreInfo: e.moreInfo, ...(item === undefined ? {} : { item }) },
      cause: err,
    })
  }
  return new NodeError(`${where}Could not reach Twilio: ${e.message ?? String(err)}`, { code: 'TWILIO_UNREACHABLE', field, retryable: true, cause: err })
}

/** X-Twilio-Signature against the URL Twilio called (public origin + path + query) and its form parameters. */
export async function validTwilioSignature(authToken: string, signature: string | null | undefined, url: string, params: Record<string, string | string[]>): Promise<boolean> {
  if (!signature) return false
  const { sdk } = await loadTwilio()
  return sdk.validateRequest(authToken, signature, url, params)
}

/** What tests and the fake server sign with. */
export async function expectedTwilioSignature(authToken: string, url: string, params: Record<string, string | string[]>): Promise<string> {
  const { sdk } = await loadTwilio()
  return sdk.getExpectedTwilioSignature(authToken, url, params)
}
