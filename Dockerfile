# One image per service, for Docker users:
#   docker build --build-arg APP=gateway -t understudy/gateway:0.1.0 .
# APP is one of gateway, webhook-ingest, inventory, pricing, reconciler, shopify-sim, legacy-monolith.
# The image holds the built JS of that app, production node_modules and Node 24; it runs as uid
# 10001 and Node handles SIGTERM itself (readiness 503, drain, exit 0). `main.js --migrate` is the
# migration entry point (the Helm hook Job passes --migrate).
# Without a Docker engine, `npm run images` builds the same layout with buildah (images/Containerfile).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node tools/dev/build.mjs \
 && npm prune --omit=dev --no-audit --no-fund

# Shared by every service: the same node_modules layer in all seven images.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
COPY --from=build /src/node_modules /app/node_modules

FROM runtime
ARG APP
COPY --from=build /src/dist/apps/${APP} /app/dist/apps/${APP}
WORKDIR /app/dist/apps/${APP}/apps/${APP}/src
USER 10001:10001
ENTRYPOINT ["node", "main.js"]
