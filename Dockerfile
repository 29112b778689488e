# One image for every role: ROLES picks api, worker or both (see docker-compose.yml).

FROM node:24-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so source edits reuse this layer.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The consumer validates events against the JSON Schemas in docs/events at run time.
COPY docs ./docs
# DATA_DIR of the embedded database, used when DATABASE_URL is unset: writable by the app user.
RUN mkdir -p .data && chown node:node .data
USER node
EXPOSE 8080 8081
# The service's Node flags (heap sizes, warnings) are package.json's config.node_flags, as for npm start.
CMD ["sh", "-c", "exec node $(node -p \"require('./package.json').config.node_flags\") dist/apps/orders/src/main.js"]
