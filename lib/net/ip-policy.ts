// Which addresses outbound HTTP may reach. Deny by default: only global unicast space passes, and
// IPv6 forms that embed an IPv4 address are judged by that address.
import ipaddr from 'ipaddr.js'

type Addr = ipaddr.IPv4 | ipaddr.IPv6

/** IPv6 ranges that tunnel or translate to an IPv4 address we can read out of the bits. */
function embeddedIpv4(v6: ipaddr.IPv6): ipaddr.IPv4 | 'unknown' | null {
  const p = v6.parts
  const fromWords = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff])
  const range = v6.range()
  // ::a.b.c.d (IPv4-compatible, deprecated) and ::ffff:a.b.c.d (mapped; also caught by range below)
  if (p[0] === 0 && p[1] === 0 && p[2] === 0 && p[3] === 0 && p[4] === 0 && (p[5] === 0 || p[5] === 0xffff)) {
    return fromWords(p[6], p[7])
  }
  if (range === 'rfc6145') return fromWords(p[6], p[7]) // ::ffff:0:a.b.c.d (IPv4-translated)
  if (range === 'rfc6052') {
    // 64:ff9b::/96 well-known NAT64 prefix carries the target in the last 32 bits;
    // 64:ff9b:1::/48 is for local NAT64 deployments: nothing public lives there.
    return p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0 ? fromWords(p[6], p[7]) : 'unknown'
  }
  if (range === '6to4') return fromWords(p[1], p[2]) // 2002:AABB:CCDD::/48
  // Teredo hides a relay (bits 32-63) and an obfuscated client (last 32 bits): nothing a workflow needs.
  if (range === 'teredo') return 'unknown'
  return null
}

function isBlockedV4(v4: ipaddr.IPv4): boolean {
  return v4.range() !== 'unicast'
}

function isBlockedV6(v6: ipaddr.IPv6): boolean {
  const inner = embeddedIpv4(v6)
  if (inner === 'unknown') return true
  if (inner) return isBlockedV4(inner)
  // Only 2000::/3 is allocated global unicast; ipaddr's special ranges mark the exceptions inside it.
  if (!v6.match(ipaddr.IPv6.parse('2000::'), 3)) return true
  return v6.range() !== 'unicast'
}

/** Parse an address (IPv4, IPv6 with or without brackets or zone id); null when it is not one. */
export function parseIp(ip: string): Addr | null {
  let text = ip.trim()
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1)
  const zone = text.indexOf('%')
  if (zone !== -1) text = text.slice(0, zone)
  if (!ipaddr.isValid(text)) return null
  // ipaddr accepts legacy forms (0x7f.1, 127.1); only strict dotted-quad or IPv6 is an address here.
  if (!ipaddr.IPv4.isValidFourPartDecimal(text) && !ipaddr.IPv6.isValid(text)) return null
  return ipaddr.parse(text)
}

/**
 * True when outbound HTTP must not reach `ip`: loopback, private, link-local (169.254.169.254 metadata),
 * unique-local, CGNAT, multicast, unspecified, reserved, broadcast, and IPv6 forms wrapping one of those.
 * Anything that does not parse as an address is blocked too (fail closed).
 */
export function isBlockedIp(ip: string): boolean {
  const addr = parseIp(ip)
  if (!addr) return true
  return addr.kind() === 'ipv4' ? isBlockedV4(addr as ipaddr.IPv4) : isBlockedV6(addr as ipaddr.IPv6)
}

// ---------------------------------------------------------------------------------------------
// Allow-list: self-hosters open specific internal targets without opening everything.

export type AllowRule =
  | { kind: 'host'; host: string; wildcard: boolean; port?: number }
  | { kind: 'ip'; addr: Addr; port?: number }
  | { kind: 'cidr'; range: [Addr, number] }

function parsePort(text: string, entry: string): number {
  const port = Number(text)
  if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65535) throw new Error(`Allow-list entry "${entry}" has an invalid port`)
  return port
}

/**
 * Entries: `api.internal`, `*.corp.example` (subdomains), `host:8080`, `10.1.2.3`, `10.1.2.3:8080`,
 * `[fd00::1]:8080`, `::1`, CIDR `10.0.0.0/8` / `fd00::/8`. A port narrows the entry to that port only.
 */
export function parseAllowRule(entry: string): AllowRule {
  const text = entry.trim().toLowerCase()
  if (!text) throw new Error('Allow-list entry is empty')
  if (text.includes('/')) {
    try {
      const [addr, bits] = ipaddr.parseCIDR(text)
      return { kind: 'cidr', range: [addr, bits] }
    } catch {
      throw new Error(`Allow-list entry "${entry}" is not a valid CIDR range`)
    }
  }
  if (text.startsWith('[')) {
    const close = text.indexOf(']')
    const addr = close > 0 ? parseIp(text.slice(1, close)) : null
    const rest = close > 0 ? text.slice(close + 1) : ''
    if (!addr || (rest && !rest.startsWith(':'))) throw new Error(`Allow-list entry "${entry}" is not a valid [IPv6]:port`)
    return { kind: 'ip', addr, port: rest ? parsePort(rest.slice(1), entry) : undefined }
  }
  const bare = parseIp(text)
  if (bare) return { kind: 'ip', addr: bare }
  const colon = text.lastIndexOf(':')
  const host = colon === -1 ? text : text.slice(0, colon)
  const port = colon === -1 ? undefined : parsePort(text.slice(colon + 1), entry)
  const hostAddr = parseIp(host)
  if (hostAddr) return { kind: 'ip', addr: hostAddr, port }
  const wildcard = host.startsWith('*.')
  const name = wildcard ? host.slice(2) : host
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(name)) {
    throw new Error(`Allow-list entry "${entry}" is not a hostname, IP address or CIDR range`)
  }
  return { kind: 'host', host: name, wildcard, port }
}

function sameAddr(a: Addr, b: Addr): boolean {
  const norm = (x: Addr) => (x.kind() === 'ipv6' && (x as ipaddr.IPv6).isIPv4MappedAddress() ? (x as ipaddr.IPv6).toIPv4Address() : x)
  const na = norm(a)
  const nb = norm(b)
  return na.kind() === nb.kind() && na.toNormalizedString() === nb.toNormalizedString()
}

/** Does a rule open the connection to `address` made for URL host `hostname` on `port`? */
export function ruleAllows(rule: AllowRule, hostname: string, address: string, port: number): boolean {
  const addr = parseIp(address)
  if (rule.kind === 'host') {
    const host = hostname.toLowerCase().replace(/\.$/, '')
    const nameOk = rule.wildcard ? host.endsWith(`.${rule.host}`) : host === rule.host
    return nameOk && (rule.port === undefined || rule.port === port)
  }
  if (!addr) return false
  if (rule.kind === 'ip') return sameAddr(rule.addr, addr) && (rule.port === undefined || rule.port === port)
  const [base, bits] = rule.range
  const candidate = addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr
  return candidate.kind() === base.kind() && candidate.match(base, bits)
}

/** Link-local (169.254/16, fe80::/10) — cloud metadata lives here, so opening private networks keeps it shut. */
export function isLinkLocalIp(ip: string): boolean {
  let addr = parseIp(ip)
  if (addr?.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address()
  return addr?.range() === 'linkLocal'
}
