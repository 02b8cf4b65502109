import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

/** This folder: the app's root, even inside a repository with its own package-lock.json. */
const appRoot = fileURLToPath(new URL('.', import.meta.url));

const nextConfig: NextConfig = {
  turbopack: { root: appRoot },
  outputFileTracingRoot: appRoot,
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
