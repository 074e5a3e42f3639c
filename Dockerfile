# The studio image: web, realtime, webhooks, worker and the one-shot migrate are the same image with another command
# (compose.yaml, deploy/kubernetes). Three stages: dependencies with the compilers native modules need, the UI build,
# and a final stage with production dependencies only, run as the unprivileged `node` user.
FROM node:20-bookworm-slim AS deps
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Browsers come from Debian (final stage): never Playwright's own download.
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
# What package.json "overrides" link the optional packages the studio never loads to (docs/operations.md, Install size).
COPY deploy/npm ./deploy/npm
# postinstall runs `prisma generate` into lib/db/generated.
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
# `npm run build` compiles the UI (.next) and the server processes (dist/, plain JavaScript: no TypeScript loader at
# run time). package.json "dependencies" is what the processes load at run time (tests/unit/architecture/dependencies.test.ts);
# the build's tools and what it bundles into .next are devDependencies, pruned once the UI is built. The prune runs
# against a package.json without devDependencies: npm keeps a devDependency that a production package names as an
# optional peer (prisma and typescript for @prisma/client, @playwright/test for next), which only then becomes
# extraneous; the manifests are put back untouched. Next's compiler (@next/swc) only builds.
RUN npm run build \
 && cp -p package.json package-lock.json /tmp/ && npm pkg delete devDependencies \
 && npm prune --omit=dev --no-audit --no-fund && mv /tmp/package.json /tmp/package-lock.json ./ \
 && rm -rf .next/cache node_modules/@next/swc-*

FROM node:20-bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    PLAYWRIGHT_CHROMIUM_PATH=/usr/bin/chromium \
    HOST=0.0.0.0 \
    PORT=3000 \
    AUTERITY_DATA_DIR=/data
COPY --from=build --chown=node:node /app ./
# Files, vectors and (compose) the generated secrets live here: mount a volume. Created owned by `node`, so a new
# named volume starts writable for the user below.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# Liveness of the web process; `node` because the slim image has no curl. Worker containers override or disable it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tini reaps the Chromium and sandbox children and forwards SIGTERM, so the worker drains (docs/operations.md).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--no-node-snapshot", "--max-semi-space-size=64", "scripts/launch.mjs", "server"]
