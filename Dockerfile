# waterline: one image for every service; docker-compose picks the service with `npm run <name>`.
FROM node:20-bookworm-slim

# better-sqlite3 12 compiles its native addon at install time when no prebuilt binary can be fetched.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

# The embedded store writes to /data; the node user must own it and /app to run without root.
RUN mkdir -p /app /data && chown node:node /app /data
WORKDIR /app
USER node

# Dependencies first, so source edits do not invalidate the npm ci layer. --chown instead of a later
# `chown -R`, which would copy all of node_modules into another layer.
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci && npm cache clean --force

COPY --chown=node:node . .

# A container's loopback is its own: listen on every interface there and let the published ports decide
# who reaches it (the default outside a container is 127.0.0.1).
ENV NODE_ENV=production \
  DATA_DIR=/data \
  HOST=0.0.0.0

EXPOSE 1883 3000
# Without a command the image runs the all-in-one demo (demo registry, simulated devices). The split
# services (docker-compose.yml) refuse to start without a registry file unless given --demo/DEMO=1.
CMD ["npm", "start"]
