# One image for both roles: `npm run gateway` or `npm run worker`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Dev dependencies too: Vite builds the web app (served at /), then they are pruned.
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
RUN npm run build:web && npm prune --omit=dev
EXPOSE 3000
CMD ["npm", "run", "gateway"]
