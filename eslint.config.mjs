import tseslint from 'typescript-eslint';

/**
 * The house rules: which lib may import which (features above technology, never the other way),
 * only through each lib's public surface (`@app/<lib>`, its index.ts), and type-aware async hygiene.
 */
const layers = {
  config: [],
  observability: ['config'],
  database: ['config', 'observability'],
  cache: ['config', 'observability'],
  http: ['config', 'observability'],
  auth: ['config', 'http'],
  messaging: ['config', 'observability', 'database'],
  platform: ['config', 'observability', 'database', 'http', 'auth'],
  orders: ['config', 'observability', 'database', 'cache', 'messaging'],
};
const allLibs = Object.keys(layers);

const surfaceOnly = [
  { group: ['@app/*/**'], message: "Import a lib through its public surface: '@app/<lib>' (its index.ts)." },
  { regex: '^\\.{1,2}/(.*/)?libs/', message: "Reach other libs through '@app/<lib>', never by path." },
  { regex: '^\\.{1,2}/(\\.\\./)*(\\w+)/src(/|$)', message: "Reach other libs through '@app/<lib>', never by path." },
];

const importRules = (patterns) => ({ 'no-restricted-imports': ['error', { patterns: [...surfaceOnly, ...patterns] }] });

const libBoundaries = Object.entries(layers).map(([lib, allowed]) => {
  const forbidden = allLibs.filter((other) => !allowed.includes(other));
  return {
    files: [`libs/${lib}/**/*.ts`],
    rules: importRules([
      {
        group: forbidden.map((other) => `@app/${other}`),
        message: `libs/${lib} may import only ${allowed.length ? allowed.map((a) => `@app/${a}`).join(', ') : 'no other lib'} (inside itself: relative paths).`,
      },
      { regex: '^\\.{1,2}/(.*/)?apps/', message: 'Libs never import the apps.' },
    ]),
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.kafka/**', '.bench/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test runs suites and tests itself; their returned promises are its business.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  { files: ['apps/**/*.ts', 'test/**/*.ts'], rules: importRules([]) },
  ...libBoundaries,
  // The domain is pure: it imports nothing but its own files.
  {
    files: ['libs/orders/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./)', message: 'The domain imports nothing but its own files.' }] },
      ],
    },
  },
  // Test helpers read arbitrary JSON responses.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
