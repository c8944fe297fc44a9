// Preloaded (NODE_OPTIONS=--require) into an app process by engine-modules.spec.ts: as the process exits, writes the
// files of the packages named in IKRAR_PROBE_PACKAGES (comma-separated) that it had loaded to IKRAR_PROBE_FILE.
// The packages are CommonJS, so what the app imported of them is in the require cache, ES modules' imports too.
const { writeFileSync } = require('node:fs');

const packages = (process.env.IKRAR_PROBE_PACKAGES ?? '').split(',');
process.on('exit', () => {
  const loaded = Object.keys(require.cache).filter((file) =>
    packages.some((name) => file.includes(`/node_modules/${name}/`)),
  );
  writeFileSync(process.env.IKRAR_PROBE_FILE, JSON.stringify(loaded));
});
