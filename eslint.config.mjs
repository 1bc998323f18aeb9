// ESLint with typescript-eslint's recommended rules; formatting is Prettier's (`npm run format`).
import js from "@eslint/js"
import globals from "globals"
import tseslint from "typescript-eslint"

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      ".medusa/",
      ".demo/",
      ".bench/",
      ".tmp/",
      "dist/",
      "coverage/",
      "test-artifacts/",
      "integration-tests/package/app/.medusa/",
      "**/*.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  {
    rules: {
      // `_`-prefixed names are deliberately unused (a step's ignored input, a destructured rest).
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // Tests, benchmarks and scripts read HTTP answers and load modules lazily on purpose.
    files: [
      "integration-tests/**",
      "bench/**",
      "scripts/**",
      "**/__tests__/**",
      "*.js",
      "*.mjs",
    ],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    // The admin bundle runs in the browser.
    files: ["src/admin/**"],
    languageOptions: { globals: { ...globals.browser } },
  }
)
