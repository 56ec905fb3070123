// Import rules, checked by `npm run lint` (scripts/import-rules-report.mjs prints them and adds the
// folder cycles between a parent folder's own files and its subfolders, which dependency-cruiser's
// folder scope cannot see: it folds a subfolder into its parent).

const project = '^(core|gateway|workers|scripts)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-module-cycles',
      comment: 'Files never import each other round.',
      severity: 'error',
      from: { path: project },
      to: { circular: true },
    },
    {
      name: 'resolvable',
      comment: 'An import the cruiser cannot resolve would escape every rule here.',
      severity: 'error',
      from: { path: project },
      to: { couldNotResolve: true },
    },
    {
      name: 'no-folder-cycles',
      comment:
        'Folders of core/, gateway/ and workers/ never import each other round. This rule sees cycles between ' +
        'folders beside each other; scripts/import-rules-report.mjs also sees a parent folder with its subfolders.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(core|gateway|workers)(/|$)' },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'Rules in core/domain use only other rules and the contract (its codes and types).',
      severity: 'error',
      from: { path: '^core/domain/' },
      to: { path: project, pathNot: '^core/(domain|contract)/' },
    },
    {
      name: 'contract-stands-alone',
      comment: 'The wire contract is what every side shares (the web app and k6 too): it imports no other folder.',
      severity: 'error',
      from: { path: '^core/contract/' },
      to: { path: '^(core|gateway|workers|scripts)/', pathNot: '^core/contract/' },
    },
    {
      name: 'core-knows-no-edge',
      comment: 'core/ is used by the gateway and the workers, never the reverse.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^(gateway|workers|scripts)/' },
    },
    {
      name: 'gateway-and-workers-apart',
      comment: 'The gateway and the workers meet only through core/ (and Redis, Postgres, BullMQ).',
      severity: 'error',
      from: { path: '^gateway/' },
      to: { path: '^workers/' },
    },
    {
      name: 'workers-and-gateway-apart',
      comment: 'The gateway and the workers meet only through core/ (and Redis, Postgres, BullMQ).',
      severity: 'error',
      from: { path: '^workers/' },
      to: { path: '^gateway/' },
    },
    {
      name: 'one-after-commit-path',
      comment:
        'Use cases return their effects; only the runners run the after-commit path with them: the command ' +
        'runner and the HTTP router (wired by the gateway root) in the gateway, the worker runner in the workers.',
      severity: 'error',
      from: {
        path: project,
        pathNot:
          '^(gateway/socket/bind-commands|gateway/start-gateway|gateway/socket/after-seat-change|workers/runtime/worker-after-commit)[.]ts$',
      },
      to: { path: '^(core/run-after-seat-change|gateway/socket/after-seat-change)[.]ts$' },
    },
    {
      name: 'web-app-uses-the-contract',
      comment: 'The browser bundle takes only the contract and the pure rules from the server side.',
      severity: 'error',
      from: { path: '^gateway/web/' },
      to: { path: project, pathNot: '^(gateway/web|core/contract|core/domain)/' },
    },
    {
      name: 'server-leaves-the-web-app-alone',
      comment: "The server does not import the browser's source (it serves the built files).",
      severity: 'error',
      from: { path: project, pathNot: '^gateway/web/' },
      to: { path: '^gateway/web/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|^gateway/web/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    metrics: true,
  },
};
