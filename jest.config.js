const transform = {
  "^.+\\.[jt]sx?$": [
    "@swc/jest",
    {
      jsc: {
        parser: { syntax: "typescript", decorators: true },
        target: "es2021",
      },
    },
  ],
}
const common = {
  transform,
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/"],
}

module.exports = {
  projects: [
    {
      ...common,
      displayName: "unit",
      testMatch: [
        "<rootDir>/src/**/__tests__/**/*.unit.spec.ts",
        "<rootDir>/integration-tests/unit/**/*.spec.ts",
        "<rootDir>/integration-tests/xcover-contract/**/*.spec.ts",
      ],
    },
    {
      ...common,
      displayName: "integration",
      testMatch: [
        "<rootDir>/integration-tests/http/**/*.spec.ts",
        "<rootDir>/integration-tests/scripts/**/*.spec.ts",
      ],
      setupFiles: ["<rootDir>/integration-tests/setup.js"],
    },
    {
      ...common,
      displayName: "browser",
      testMatch: ["<rootDir>/integration-tests/browser/**/*.spec.ts"],
      setupFiles: ["<rootDir>/integration-tests/setup.js"],
    },
    {
      ...common,
      displayName: "bench",
      testMatch: ["<rootDir>/integration-tests/bench/**/*.spec.ts"],
    },
    {
      ...common,
      // The packed plugin in a separate Medusa app: needs DB_* and XCOVER_APP_PORT from scripts/test.mjs.
      displayName: "package",
      testMatch: ["<rootDir>/integration-tests/package/**/*.spec.ts"],
      globalSetup: "<rootDir>/integration-tests/package/global-setup.js",
    },
  ],
}
