import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // This folder is the app's root, even inside a repository with its own package-lock.json.
  turbopack: { root: __dirname },
  outputFileTracingRoot: __dirname,
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
