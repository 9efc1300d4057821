import { defineConfig } from "vitest/config";

// End-to-end: the built server as a child process, driven over HTTP and in Chromium.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default", ["json", { outputFile: "test-results/vitest-e2e.json" }]],
  },
});
