import tseslint from "typescript-eslint";

// Type-aware rules that catch what tests often miss: a promise nobody awaits, a promise passed
// where a callback's return value is ignored. Package boundaries are enforced by
// no-restricted-imports: api, scheduler and worker import @hotbeat/shared, never each other.
const siblings = ["@hotbeat/api", "@hotbeat/scheduler", "@hotbeat/worker", "@hotbeat/server", "@hotbeat/cli"];
const boundary = (self) => ({
  "no-restricted-imports": [
    "error",
    {
      patterns: [
        {
          group: siblings.filter((s) => s !== self),
          message: "packages import @hotbeat/shared, never each other",
        },
        { group: ["../../*/src/*", "../../../packages/*"], message: "import other packages by name" },
      ],
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "packages/api/src/ui/**",
      "bench/**",
      "chaos/**",
      "test-artifacts/**",
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // Three programs for the whole repository (the TypeScript, the CLI's JavaScript bin and the
      // cron macros), rather than one per tsconfig.json found: the types of shared are computed once.
      parserOptions: {
        project: [
          "./tsconfig.check.json",
          "./packages/cli/bin/tsconfig.json",
          "./packages/cron-macros/tsconfig.json",
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-empty": ["error", { allowEmptyCatch: false }],
      "no-console": "error",
    },
  },
  { files: ["eslint.config.js"], extends: [tseslint.configs.disableTypeChecked] },
  { files: ["packages/shared/src/**"], rules: boundary("@hotbeat/shared") },
  { files: ["packages/api/src/**"], rules: boundary("@hotbeat/api") },
  { files: ["packages/scheduler/src/**"], rules: boundary("@hotbeat/scheduler") },
  { files: ["packages/worker/src/**"], rules: boundary("@hotbeat/worker") },
  { files: ["packages/cli/src/**"], rules: { ...boundary("@hotbeat/cli"), "no-console": "off" } },
  {
    files: ["packages/*/test/**", "test/**"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/unbound-method": "off",
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
);
