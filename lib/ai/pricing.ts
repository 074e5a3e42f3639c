// Money without floats. Prices are integer micro-USD per 1M tokens, so tokens × price is an exact cost in
// picodollars (1e-12 USD). USD strings (Decimal columns) convert to and from picodollars exactly.

const PICO_PER_USD = 1_000_000_000_000n

export function costPico(inputTokens: number, outputTokens: number, price: { inputPriceMicros: bigint; outputPriceMicros: bigint }): bigint {
  return BigInt(inputTokens) * price.inputPriceMicros + BigInt(outputTokens) * price.outputPriceMicros
}

export function picoToUsd(pico: bigint): string {
  const neg = pico < 0n
  const abs = neg ? -pico : pico
  const whole = abs / PICO_PER_USD
  const frac = (abs % PICO_PER_USD).toString().padStart(12, '0')
  return `${neg ? '-' : ''}${whole}.${frac}`
}

/** "1.5" / "0.000001" / Prisma Decimal#toString() → picodollars (digits past 12 decimals are truncated). */
export function usdToPico(usd: string | number | { toString(): string }): bigint {
  const s = typeof usd === 'number' ? usd.toFixed(12) : usd.toString()
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s.trim())
  if (!m) throw new Error(`Not a USD amount: ${s}`)
  const whole = BigInt(m[2] || '0')
  const frac = BigInt((m[3] ?? '').slice(0, 12).padEnd(12, '0'))
  const v = whole * PICO_PER_USD + frac
  return m[1] ? -v : v
}

/** USD per 1M tokens (e.g. 0.15) → micro-USD per 1M tokens (150000). */
export function usdPerMillionToMicros(usd: number): bigint {
  return usdToPico(usd.toFixed(6)) / 1_000_000n
}

/** Human display: "$0.0012". */
export function formatUsd(pico: bigint, digits = 4): string {
  return `$${(Number(pico) / 1e12).toFixed(digits)}`
}

export interface KnownModel {
  /** USD per 1M tokens. */
  input: number
  output: number
  context: number
  kind?: 'chat' | 'embedding'
  /** Embedding models: the vector length they return by default. */
  dimensions?: number
}

/** Defaults offered when registering a well-known model (prices, context; kind and vector length of embedding
 * models); editable afterwards. */
export const KNOWN_PRICES: Record<string, KnownModel> = {
  'gpt-4o': { input: 2.5, output: 10, context: 128_000 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, context: 128_000 },
  'gpt-4.1': { input: 2, output: 8, context: 1_047_576 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, context: 1_047_576 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, context: 1_047_576 },
  'claude-sonnet-4-5': { input: 3, output: 15, context: 200_000 },
  'claude-haiku-4-5': { input: 1, output: 5, context: 200_000 },
  'claude-opus-4-1': { input: 15, output: 75, context: 200_000 },
  'text-embedding-3-small': { input: 0.02, output: 0, context: 8191, kind: 'embedding', dimensions: 1536 },
  'text-embedding-3-large': { input: 0.13, output: 0, context: 8191, kind: 'embedding', dimensions: 3072 },
  // Ollama (openaiCompatible at http://localhost:11434/v1): local, free.
  'nomic-embed-text': { input: 0, output: 0, context: 8192, kind: 'embedding', dimensions: 768 },
}
