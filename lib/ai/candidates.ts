// From a call's target to the deployments that may serve it, for chat and embedding calls alike: the route (or
// the one deployment named), only deployments of the call's kind, then what the budgets allow before any call.
import type { BudgetGuard } from './budget'
import type { LatencyBoard } from './latency'
import type { CatalogSnapshot } from './catalog'
import { type AiError, UnknownTargetError, WrongKindError } from './errors'
import type { Budget, Deployment, RoutePolicy } from './types'

export type CallKind = 'chat' | 'embedding'

export const kindOf = (d: Deployment): CallKind => d.kind ?? 'chat'

/** The route and its callable deployments of `kind`, in listed order. Naming a deployment (or a route made only
 * of deployments) of the other kind is an error that says so, not a provider call in the wrong format. */
export function resolveTarget(snap: CatalogSnapshot, target: string, kind: CallKind): { route: RoutePolicy; listed: Deployment[] } {
  let route = snap.routes.get(target)
  const explicit = !route
  if (!route) {
    const dep = snap.deployments.get(target)
    if (!dep || dep.status === 'retired') throw new UnknownTargetError(target)
    route = { name: target, strategy: 'failover', deployments: [target] }
  }
  const callable = route.deployments.map((n) => snap.deployments.get(n)).filter((d): d is Deployment => Boolean(d) && d!.status !== 'retired' && (explicit || d!.status === 'active'))
  const listed = callable.filter((d) => kindOf(d) === kind)
  if (callable.length && !listed.length) throw new WrongKindError(target, explicit ? 'deployment' : 'route', kindOf(callable[0]), kind)
  return { route, listed }
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0)

export function sortByCost(candidates: Deployment[], estimate: (d: Deployment) => bigint): Deployment[] {
  return [...candidates].sort((a, b) => cmp(estimate(a), estimate(b)))
}

/** Listed order (failover), cheapest estimate first, or lowest measured p95 first (unmeasured last). */
export function ordered(route: RoutePolicy, candidates: Deployment[], estimate: (d: Deployment) => bigint, latency: LatencyBoard): Deployment[] {
  if (route.strategy === 'cheapest') return sortByCost(candidates, estimate)
  if (route.strategy === 'fastest') return [...candidates].sort((a, b) => (latency.p95(a.id) ?? Infinity) - (latency.p95(b.id) ?? Infinity))
  return candidates
}

/**
 * The candidates the budgets leave room for. Over budget on the first candidate: the call fails (recorded through
 * `onBlocked`), unless the route says `cheaper`, then the cheapest that fit come first.
 */
export async function withinBudget(guard: BudgetGuard, budgets: Budget[], route: RoutePolicy, candidates: Deployment[], estimate: (d: Deployment) => bigint, onBlocked: (err: AiError) => void): Promise<Deployment[]> {
  const head = await guard.headroom(budgets)
  if (!head) return candidates
  const blocked = (pico: bigint) => {
    const err = guard.exceeded(head, pico)
    onBlocked(err)
    return err
  }
  const primary = candidates[0]
  if (estimate(primary) > head.left && route.onBudgetExceeded !== 'cheaper') throw blocked(estimate(primary))
  const affordable = candidates.filter((d) => estimate(d) <= head.left)
  if (!affordable.length) throw blocked(candidates.reduce((m, d) => (estimate(d) < m ? estimate(d) : m), estimate(primary)))
  return estimate(primary) > head.left ? sortByCost(affordable, estimate) : affordable
}

/** What the budget reservation holds: the dearest candidate's estimate (failover may end there). */
export function maxEstimate(candidates: Deployment[], estimate: (d: Deployment) => bigint): bigint {
  return candidates.reduce((m, d) => (estimate(d) > m ? estimate(d) : m), 0n)
}
