// The caller's address as route handlers see it. Next gives route handlers no socket, and a client can write any
// X-Forwarded-For it likes, so the web server (lib/http/request-router.ts) stamps every studio request with one
// header it computes itself: the socket's address, or with AUTERITY_TRUST_PROXY the last X-Forwarded-For entry (the
// address the proxy in front saw). A value the client sent under that name is dropped first. Per-IP rate limits
// and the audit log's IPs read only this header, so rotating X-Forwarded-For buys an attacker nothing.
import type { IncomingMessage } from 'node:http'
import { callerAddress } from './webhook-auth'

export const CLIENT_IP_HEADER = 'x-auterity-client-ip'

/** Replaces whatever the client sent as CLIENT_IP_HEADER with the address this server vouches for. */
export function stampClientIp(req: IncomingMessage, trustProxy: boolean): void {
  delete req.headers[CLIENT_IP_HEADER]
  const address = callerAddress(req.headers, req.socket.remoteAddress, trustProxy)
  if (address) req.headers[CLIENT_IP_HEADER] = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')
}
