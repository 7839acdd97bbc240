// Restores the pinned Envoy API proto trees from the npm registry.
//
//   node protos/restore.mjs            (run by EnvoyLens.Protos before compiling)
//
// 1. `npm pack NAME@VERSION` for each entry of pins.json (npm's own cache makes repeats cheap),
// 2. checks the tarball's sha512 against the recorded integrity and refuses a mismatch,
// 3. unpacks it into protos/.restored/<dir>,
// 4. applies the small compatibility patches listed below, then writes protos/.restored/.stamp.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pins = JSON.parse(readFileSync(join(here, 'pins.json'), 'utf8'));
const out = join(here, '.restored');
const downloads = join(out, '.downloads');
mkdirSync(downloads, { recursive: true });

function fail(message) {
  console.error(`error: ${message}`);
  process.exit(1);
}

function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', shell: process.platform === 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const detail = (e.stderr || e.message || '').toString().trim().split('\n').slice(-1)[0];
    fail(`'${cmd} ${args.join(' ')}' failed: ${detail}`);
  }
}

for (const pin of pins.packages) {
  const spec = `${pin.name}@${pin.version}`;
  const tarball = join(downloads, `${pin.name.replace('@', '').replace('/', '-')}-${pin.version}.tgz`);
  if (!existsSync(tarball)) {
    run('npm', ['pack', spec, '--silent', '--pack-destination', downloads]);
    if (!existsSync(tarball)) fail(`npm pack ${spec} did not produce ${tarball}.`);
  }
  const integrity = 'sha512-' + createHash('sha512').update(readFileSync(tarball)).digest('base64');
  if (integrity !== pin.integrity) {
    rmSync(tarball, { force: true });
    fail(`${spec} does not match the integrity recorded in protos/pins.json (got ${integrity}); refusing to use it.`);
  }
  const target = join(out, pin.dir);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', target]);
}

// Patch: the protoc-gen-validate copy shipped in @grpc/grpc-js-xds predates StringRules.ignore_empty
// (field 26), which current Envoy protos set in their (validate.rules) options. protoc rejects the
// unknown option field, so declare it. Validation options are never evaluated by EnvoyLens.
const validate = join(out, 'grpc-js-xds', 'package', 'deps', 'protoc-gen-validate', 'validate', 'validate.proto');
let text = readFileSync(validate, 'utf8');
if (!/ignore_empty\s*=\s*26/.test(text)) {
  const anchor = 'message StringRules {';
  if (!text.includes(anchor)) fail(`${validate} has no '${anchor}' to patch.`);
  text = text.replace(anchor, `${anchor}\n    // Added by EnvoyLens restore: newer field used by Envoy options.\n    optional bool ignore_empty = 26;\n`);
  writeFileSync(validate, text);
}

writeFileSync(join(out, '.stamp'), pins.packages.map(p => `${p.name}@${p.version} ${p.integrity}`).join('\n') + '\n');
console.log(`Envoy API protos restored into ${out}`);
