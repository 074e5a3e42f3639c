# The studio image: web, realtime and worker are the same image with a different command.
FROM node:20-bookworm-slim AS deps
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npx next build

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends chromium && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production PLAYWRIGHT_CHROMIUM_PATH=/usr/bin/chromium HOST=0.0.0.0
COPY --from=build /app ./
EXPOSE 3000
CMD ["npm", "run", "start:web"]
