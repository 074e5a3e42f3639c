// Prometheus scrape of the web process: no session, a bearer token (AUTERITY_METRICS_TOKEN); 404 while none is set.
// What is in it: docs/metrics-and-logs.md.
import { route } from '@/lib/http/route'
import { webServices } from '@/lib/composition/web-services'

export const dynamic = 'force-dynamic'

export const GET = route((req) => webServices().scrapeMetrics(req.headers.get('authorization')))
