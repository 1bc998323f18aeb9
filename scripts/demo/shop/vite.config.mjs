// The demo's shop page (scripts/demo/shop), bundled into .medusa/shop and served under /shop by
// `npm run demo` and the browser test (integration-tests/browser/storefront.spec.ts).
import path from "node:path"
import { fileURLToPath } from "node:url"
import tailwindcss from "tailwindcss"
import { defineConfig } from "vite"

const here = path.dirname(fileURLToPath(import.meta.url))

export default defineConfig({
  root: here,
  base: "/shop/",
  logLevel: "warn",
  esbuild: { jsx: "automatic" },
  css: {
    postcss: {
      plugins: [
        tailwindcss({ config: path.join(here, "tailwind.config.cjs") }),
      ],
    },
  },
  build: {
    outDir: path.resolve(here, "../../../.medusa/shop"),
    emptyOutDir: true,
    rollupOptions: {
      onwarn(warning, warn) {
        // "use client" marks the components for React Server Components; a plain bundle ignores it.
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") {
          warn(warning)
        }
      },
    },
  },
})
