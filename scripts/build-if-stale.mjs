// Builds only when a source is newer than the last build, so `npm start` on an unchanged checkout
// starts at once. Prints what it does; the build itself is `npm run build`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// TypeScript rewrites its incremental build info on every build that emits.
const stamp = join(root, 'dist', '.tsbuildinfo');
const inputs = ['apps', 'libs', 'tsconfig.json', 'package-lock.json'];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changed = Math.max(...inputs.map((input) => newest(join(root, input))));
if (changed > built) {
  console.error(built ? 'Sources changed since the last build: building...' : 'First start: building...');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
