# cognito-idp-sync container image.
# The base is an ARG so a local base can stand in where no registry is reachable (scripts/container-test.sh).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_ca,required=false \
    if [ -f /run/secrets/npm_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi; \
    npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
LABEL org.opencontainers.image.title="cognito-idp-sync" \
      org.opencontainers.image.description="GitOps reconciler for Amazon Cognito user-pool identity providers" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY schemas ./schemas
RUN ln -s /app/bin/cognito-idp-sync.js /usr/local/bin/cognito-idp-sync
# Non-root, and nothing written outside /tmp: works with readOnlyRootFilesystem.
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["cognito-idp-sync"]
CMD ["--help"]
