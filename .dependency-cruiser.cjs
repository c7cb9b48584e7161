// The layer rule of docs/architecture.md, checked by `npm run lint:layers` (and so by CI):
// a folder imports only from the folders of lower layers; folders of one layer never import each
// other (the memjs, meta and text adapters are siblings); nothing imports in a cycle.
// Lowest first. A new folder under src/ must be placed here, or the check fails (see `unplaced`).
const LAYERS = [
  ['machines'], // pure XState machines: only xstate
  ['src/core'], // errors, clock, logger, key rules
  ['src/distribution', 'src/codec', 'src/testing'], // key -> server / value <-> bytes / test tooling for users' own tests
  ['src/config'], // options, server addresses
  ['src/api'], // the public contract: Client, answers, items
  ['src/port'], // the contract of one connection
  ['src/transport'], // opening sockets: TCP, TLS, UNIX
  ['src/connection'], // one connection core below every protocol: in-flight queue, limits, desync, abandon
  ['src/memjs', 'src/meta', 'src/text'], // protocol adapters
  ['src/engine'], // one call in flight: deadlines, outcomes, which errors count
  ['src/commands'], // each command declared once: its input checks, its answer mapping, a part per protocol
  ['src/pool'], // one ServerConnection per server, membership, routing
  ['src/discovery'], // where the server list comes from: ElastiCache, DNS A/AAAA, SRV
  ['src/client'], // the facade and createClient
  ['src/inspect', 'src/keyv', 'src/otel'], // integrations, each its own subpath
];

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const folder = (f) => `^${escapeRegExp(f)}/`;
const layerRules = [];
LAYERS.forEach((layer, rank) => {
  const below = LAYERS.slice(0, rank).flat();
  for (const from of layer) {
    layerRules.push({
      name: `layer:${from}`,
      comment: `${from} may import only from itself and the layers below it: ${below.join(', ') || 'none'}`,
      severity: 'error',
      from: { path: folder(from) },
      to: { path: '^(src|machines)/', pathNot: [from, ...below].map(folder) },
    });
  }
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'unplaced',
      comment: 'Every folder under src/ belongs to a layer in .dependency-cruiser.cjs.',
      severity: 'error',
      from: {
        path: '^src/[^/]+/',
        pathNot: LAYERS.flat()
          .filter((f) => f.startsWith('src/'))
          .map(folder),
      },
      to: {},
    },
    {
      name: 'machines-are-pure',
      comment: 'machines/ imports only xstate (and each other): no I/O, no src/.',
      severity: 'error',
      from: { path: '^machines/' },
      to: { path: '^src/' },
    },
    {
      name: 'no-src-to-tests',
      comment: 'The library never imports from tests, the demo or the benchmarks.',
      severity: 'error',
      from: { path: '^(src|machines)/' },
      to: { path: '^(test|demo|bench|scripts)/' },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^dist/|\\.d\\.ts$)' },
  },
};
