// The server's clock as the browser can best tell it. Start times of runs and steps are stamped by the server (the
// database, the worker); measuring a running one against the browser's own clock shows a negative duration whenever
// that clock is behind. Answers that carry `serverTime` set the offset, halving the request's round trip.

let offsetMs = 0

/** `sentAt`: Date.now() when the request left; `receivedAt`: when its answer arrived. */
export function noteServerTime(serverTime: string | undefined, sentAt: number, receivedAt = Date.now()): void {
  const server = serverTime ? Date.parse(serverTime) : NaN
  if (!Number.isFinite(server) || receivedAt < sentAt) return
  offsetMs = server - (sentAt + receivedAt) / 2
}

export function serverNow(): number {
  return Date.now() + offsetMs
}

/** For tests. */
export function resetServerClock(): void {
  offsetMs = 0
}
